"""Audit's settings: the checkpoint signing key, the cadence, and the writer's database role."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.auth.tokens import AuthSettings
from shared.settings import ServiceSettings
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, ORIGIN_PATTERN

WRITER_ROLE = "frontdoor_audit_writer"


class AuditSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUDIT_", extra="ignore")

    signing_key: str | None = None  # base64 Ed25519 private key
    signing_key_file: Path | None = None  # or a file holding it (`frontdoor audit keygen FILE` makes one)
    previous_public_keys: str = ""  # comma-separated base64 public keys retired by rotation, still trusted
    checkpoint_dir: Path | None = None  # checkpoints kept outside the database (a folder per database)
    checkpoint_seconds: float = 60.0
    witness_url: str | None = None  # a c2sp.org/tlog-witness witness asked to cosign each new checkpoint
    witness_key: str | None = None  # its note verifier key (cosignature/v1): verify checks its cosignature
    # The log's name (c2sp.org/tlog-checkpoint origin, and the signing key's name): set once per deployment,
    # e.g. "audit.frontdoor.example-council.gov.uk/v1", and never changed (a witness knows a log by it).
    log_origin: str = Field(default=DEFAULT_ORIGIN, pattern=ORIGIN_PATTERN)
    writer_database_url: str | None = None  # a login for the writer role; else SET ROLE on the service's login
    host: str = "127.0.0.1"
    port: int = 8002
    auth: AuthSettings = Field(default_factory=AuthSettings)  # how auditor tokens are checked (AUTH_*)

    def published_checkpoints_dir(self) -> Path | None:
        """A folder per database (several test databases share a machine)."""
        base = self.checkpoint_dir
        return base / self.platform.database_url.rsplit("/", 1)[-1] if base else None

    @property
    def retired_keys(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.previous_public_keys.split(",") if k.strip())

    def resolved_signing_key(self) -> str:
        """The configured key, or the one in the configured file (read, never created, here)."""
        if self.signing_key:
            return self.signing_key
        if self.signing_key_file is None:
            raise NoSigningKey("AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE must be set (`frontdoor audit keygen "
                               "FILE` makes a key file; `frontdoor infra up` makes one for development)")
        return self.signing_key_file.read_text().strip()


class NoSigningKey(ValueError):
    """Audit cannot sign or check checkpoints without its key; said in one line, at start."""
