"""Intake's settings: where the partner API listens."""

from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    rate_limit: str = "600/minute"  # per partner, across every intake replica (limits' notation; a shared count)
    max_backlog: int = 1000  # untriaged referrals before non-urgent ones get 429 (domain/admission.py)
    shed_retry_after_seconds: int = 5
    max_in_flight: int = 64  # referral POSTs served at once before new ones get 429
