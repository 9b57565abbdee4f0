"""Triage's settings: which rule set is in force (by version id, never by date)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings
from services.triage.domain.rules.registry import DEFAULT_VERSION


class TriageSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    ruleset_version: str = Field(default=DEFAULT_VERSION, description="The rule set in force")
    host: str = "127.0.0.1"
    port: int = 8004
