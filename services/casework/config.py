"""Casework's settings: where the staff API and console listen, the queue policy in force, the SLA cadence."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.auth.tokens import AuthSettings
from shared.settings import ServiceSettings
from services.casework.domain.queue_policy import DEFAULT_VERSION


class CaseworkSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    queue_policy_version: str = Field(default=DEFAULT_VERSION, description="Queue names, urgency and clocks")
    host: str = "127.0.0.1"
    port: int = 8001  # the console's documented address
    sla_check_seconds: float = 30.0
    auth: AuthSettings = Field(default_factory=AuthSettings)  # how staff tokens are checked (AUTH_*)
