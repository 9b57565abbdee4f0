"""Audit's settings: the checkpoint signing key, the cadence, and the writer's database role."""

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from shared.localinfra.stack import default_state_dir
from shared.settings import ServiceSettings

WRITER_ROLE = "frontdoor_audit_writer"


class AuditSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    signing_key: str | None = None  # base64 Ed25519 private key; generated and kept locally in development
    previous_public_keys: str = ""  # comma-separated base64 public keys retired by rotation, still trusted
    checkpoint_dir: Path | None = None  # checkpoints kept outside the database; development: the state folder
    checkpoint_seconds: float = 60.0
    writer_database_url: str | None = None  # a login for the writer role; else SET ROLE on the service's login
    host: str = "127.0.0.1"
    port: int = 8002

    @model_validator(mode="after")
    def _key_outside_development(self):
        if self.signing_key is None and self.platform.frontdoor_env == "production":
            raise ValueError("AUDIT_SIGNING_KEY must be set in production")
        return self

    def published_checkpoints_dir(self, state_dir: Path | None = None) -> Path | None:
        """A folder per database (several test databases share a machine); production sets it explicitly."""
        base = self.checkpoint_dir
        if base is None and self.platform.frontdoor_env != "production":
            base = (state_dir or default_state_dir()) / "audit-checkpoints"
        return base / self.platform.database_url.rsplit("/", 1)[-1] if base else None

    @property
    def retired_keys(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.previous_public_keys.split(",") if k.strip())

    def resolved_signing_key(self, state_dir: Path | None = None) -> str:
        """The configured key, or (development and tests) one generated once and kept in the state folder."""
        if self.signing_key:
            return self.signing_key
        from services.audit.adapters.ed25519_signer import new_private_key_b64

        path = (state_dir or default_state_dir()) / "audit-signing.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new_private_key_b64())
            path.chmod(0o600)
        return path.read_text().strip()
