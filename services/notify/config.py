"""Notify's settings: directory seed file, channels' credentials, the receipt callback token."""

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings, refuse_placeholder


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    directory_file: Path | None = None  # a YAML seed (development: deploy/local/directory.yaml); else the table
    console_url: str = "http://127.0.0.1:8001"
    max_attempts: int = Field(default=5, ge=1)
    base_backoff_seconds: float = 1.0
    claim_lease_seconds: float = Field(default=30.0, gt=0)
    in_flight: int = Field(default=20, ge=1)
    host: str = "127.0.0.1"
    port: int = 8003
    callback_token: str = "development-callback-token"
    webhook_secret: str = "development-webhook-secret"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "front-door@example.gov.uk"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_start_tls: bool = False
    govuk_notify_api_key: str | None = None
    govuk_notify_template_id: str | None = None
    govuk_notify_base_url: str = "https://api.notifications.service.gov.uk"

    @model_validator(mode="after")
    def _secrets_outside_development(self):
        env = self.platform.frontdoor_env
        if env == "production":
            for name in ("callback_token", "webhook_secret"):
                if getattr(self, name).startswith("development-"):
                    refuse_placeholder("", name=f"NOTIFY_{name.upper()}", env=env)
        return self
