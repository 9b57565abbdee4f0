"""Every `frontdoor` command group keeps its subcommand names: a Typer app with a single command would collapse
into that command (`frontdoor users token NAME` became `frontdoor users NAME`), so each group has a callback."""

import pytest
from typer.testing import CliRunner

from tools.cli import COMMANDS, app

runner = CliRunner()
SINGLE_COMMANDS = {"run"}  # `frontdoor run SERVICE` is one command by design


@pytest.mark.parametrize("group", sorted(set(COMMANDS) - SINGLE_COMMANDS))
def test_each_group_lists_its_subcommands(group):
    result = runner.invoke(app, [group, "--help"])
    assert result.exit_code == 0, result.output
    assert "Commands" in result.output, f"`frontdoor {group}` has collapsed into a single command"


def test_a_development_token_is_issued_by_name():
    result = runner.invoke(app, ["users", "token", "ada", "--role", "auditor"])
    assert result.exit_code == 0 and result.output.count(".") == 2  # a JWT: header.payload.signature
