"""Signed bearer tokens for staff and auditors.

Development signs with a local HS256 key (`frontdoor users token`); production verifies an OIDC provider's
tokens against its JWKS (`AUTH_JWKS_URL`). Either way a token names a person and their roles, and a
practitioner's token also lists the queues they work.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

import jwt
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import refuse_placeholder

Role = Literal["partner", "practitioner", "manager", "auditor", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
DEV_SIGNING_KEY = "development-only-signing-key-not-for-production"


class AuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    signing_key: str = Field(default=DEV_SIGNING_KEY, min_length=32)
    jwks_url: str | None = None
    issuer: str = "frontdoor-dev"
    audience: str = "frontdoor"
    frontdoor_env: str = Field(default="development", validation_alias="FRONTDOOR_ENV")

    @model_validator(mode="after")
    def _no_dev_key_in_production(self):
        if self.jwks_url is None and self.signing_key == DEV_SIGNING_KEY:
            refuse_placeholder("", name="AUTH_SIGNING_KEY", env=self.frontdoor_env)
        return self


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    queues: frozenset[str]
    expires_at: datetime | None = None

    def has(self, role: str) -> bool:
        return role in self.roles


class InvalidToken(Exception):
    """Missing, expired, wrongly signed or for another audience: the caller gets 401, never a guess."""


class Tokens:
    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    def issue(self, subject: str, roles: list[str], queues: list[str] | None = None, *,
              hours: float = 8, now: datetime | None = None) -> str:
        """A development token; production tokens come from the identity provider."""
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
        issued = now or datetime.now(UTC)
        claims = {"sub": subject, "roles": roles, "queues": queues or [], "iss": self._settings.issuer,
                  "aud": self._settings.audience, "iat": issued, "exp": issued + timedelta(hours=hours)}
        return jwt.encode(claims, self._settings.signing_key, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        try:
            if self._jwks:
                key, algorithms = self._jwks.get_signing_key_from_jwt(token).key, ["RS256", "ES256"]
            else:
                key, algorithms = self._settings.signing_key, ["HS256"]
            claims = jwt.decode(token, key, algorithms=algorithms, audience=self._settings.audience,
                                issuer=self._settings.issuer, options={"require": ["exp", "sub"]})
        except jwt.PyJWTError as exc:
            raise InvalidToken(type(exc).__name__) from exc
        return Principal(subject=claims["sub"], roles=frozenset(claims.get("roles", [])),
                         queues=frozenset(claims.get("queues", [])),
                         expires_at=datetime.fromtimestamp(claims["exp"], UTC))
