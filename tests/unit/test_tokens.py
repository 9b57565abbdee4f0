"""Staff and auditor tokens: issued in development, verified strictly, refused when tampered or expired."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from shared.auth.tokens import AuthSettings, InvalidToken, Tokens

SETTINGS = AuthSettings(signing_key="k" * 40)


def test_a_token_round_trips_its_roles_and_queues():
    tokens = Tokens(SETTINGS)
    principal = tokens.verify(tokens.issue("alex", ["practitioner"], ["early_help"]))
    assert (principal.subject, principal.roles, principal.queues) == ("alex", {"practitioner"}, {"early_help"})


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if t[-2:] != "AA" else "BB"),
    lambda t: Tokens(AuthSettings(signing_key="x" * 40)).issue("alex", ["auditor"]),
    lambda t: Tokens(SETTINGS).issue("alex", ["auditor"], now=datetime.now(UTC) - timedelta(hours=9)),
    lambda t: "not-a-token",
])
def test_tampered_foreign_or_expired_tokens_are_refused(mangle):
    token = Tokens(SETTINGS).issue("alex", ["auditor"])
    with pytest.raises(InvalidToken):
        Tokens(SETTINGS).verify(mangle(token))


def test_unknown_roles_are_not_issued():
    with pytest.raises(ValueError):
        Tokens(SETTINGS).issue("alex", ["superuser"])


def test_the_development_key_is_refused_outside_development():
    with pytest.raises(ValidationError):
        AuthSettings(FRONTDOOR_ENV="production")
    assert AuthSettings(FRONTDOOR_ENV="production", signing_key="s" * 40).signing_key == "s" * 40
