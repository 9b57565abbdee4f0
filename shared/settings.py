"""Settings pieces every service shares; loaded once in a service's bootstrap and passed down.

`KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL` are read without a prefix because operators and DESIGN name
them so; service-specific settings carry the service's own prefix (see each service's `config.py`).

Values come from the environment, then from the dotenv file named by `FRONTDOOR_ENV_FILE` (default
`local.env` in the development state folder, `$FRONTDOOR_STATE_DIR` or `.frontdoor/`: the local stack writes
it with its ports, key file and folders; an empty value reads no file), then the defaults. Nothing here writes
anything: reading settings has no side effects.
"""

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.env_file import ENV_FILE

PLACEHOLDER_SECRETS = {"changethis", "change-me", "secret", "dev", ""}


class PlatformSettings(BaseSettings):
    """Where the broker and database are, how traces leave the process, and which environment this is."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", env_file=ENV_FILE)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    database_url: str = "postgresql+asyncpg://frontdoor@127.0.0.1:5432/frontdoor"
    frontdoor_env: Literal["development", "test", "production"] = "development"
    otel_traces_exporter: Literal["otlp", "console", "none"] = "none"
    otel_exporter_otlp_endpoint: str | None = None
    kafka_partitions: int = Field(default=6, ge=1)
    kafka_linger_ms: int = Field(default=2, ge=0)


NON_PRODUCTION = {"development", "test"}


def refuse_placeholder(value: str, *, name: str, env: str) -> str:
    """Secrets left at a placeholder are refused outside development and tests (full-stack template's rule)."""
    if env not in NON_PRODUCTION and value.strip().lower() in PLACEHOLDER_SECRETS:
        raise ValueError(f"{name} is a placeholder; set a real secret outside development")
    return value


class ServiceSettings(BaseSettings):
    """Base for a service's own settings: it embeds the platform pieces so one object is passed down."""

    model_config = SettingsConfigDict(extra="ignore", env_file=ENV_FILE)

    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @model_validator(mode="after")
    def _database_is_async(self):
        if not self.platform.database_url.startswith("postgresql+asyncpg://"):
            raise ValueError("DATABASE_URL must use the postgresql+asyncpg:// driver")
        return self
