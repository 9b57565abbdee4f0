"""`frontdoor people`: check matching without the running system.

`link` reads JSON Lines (`{"record_id", "received_at", "child": {<the referral contract's child>}}`) and writes
one line per record: the person it was attached to (a known one only when certain), the grade, the score and
the candidates. A line that is not valid JSON or whose child does not fit the contract is answered with an
`error` line naming the field, and the rest carry on; the exit code is 1 if any line was refused.
"""

import json
import sys
from collections.abc import Iterator

import typer

people_app = typer.Typer(help="The person index: check matching from a file.", no_args_is_help=True)


@people_app.callback()
def people() -> None:
    """A group of commands (`frontdoor people link`)."""


@people_app.command("link")
def link(file: str = typer.Argument(..., help="JSON Lines file, or - for standard input"),
         policy_version: str = typer.Option(None, "--policy", help="Matcher policy version (default: in force)"),
         ) -> None:
    """Match each record against the ones before it, with the service's matcher and policy."""
    from pydantic import ValidationError

    from shared.events.referral import Child
    from services.people.application.link_file import link_records
    from services.people.domain.match_policy import DEFAULT, POLICIES

    policy = POLICIES[policy_version] if policy_version else DEFAULT
    refused = 0

    def records() -> Iterator[tuple[str, Child]]:
        nonlocal refused
        stream = sys.stdin if file == "-" else open(file, encoding="utf-8")
        with stream:
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    yield str(data["record_id"]), Child.model_validate(data["child"])
                except (ValueError, KeyError, TypeError) as exc:
                    refused += 1
                    typer.echo(json.dumps({"line": number, "record_id": _record_id(line),
                                           "error": _problem(exc, ValidationError)}))

    for out in link_records(records(), policy):
        typer.echo(json.dumps(out))
    if refused:
        typer.echo(f"{refused} line(s) refused", err=True)
        raise typer.Exit(1)


def _record_id(line: str) -> str | None:
    try:
        return str(json.loads(line).get("record_id"))
    except (ValueError, AttributeError):
        return None


def _problem(exc: Exception, validation_error: type[Exception]) -> str:
    if isinstance(exc, validation_error):
        first = exc.errors()[0]  # type: ignore[attr-defined]
        return f"child.{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    if isinstance(exc, KeyError):
        return f"{exc.args[0]}: missing"
    return f"not a JSON object: {exc}"
