"""The auditor-facing use cases, built once from settings for the CLI and the HTTP API alike."""

from dataclasses import dataclass

from shared.clock import SystemClock
from services.audit.adapters.checkpoint_files import CheckpointFiles
from services.audit.adapters.ed25519_signer import Ed25519Signer, signature_valid
from services.audit.adapters.sqla_log import SqlaAuditLog, SqlaAuditUnitOfWork
from services.audit.application.append_events import AppendEvents
from services.audit.application.checkpoints import TakeCheckpoint
from services.audit.application.trail import ReadTrail
from services.audit.application.verification import VerifyLog
from services.audit.config import AuditSettings


@dataclass
class AuditorTools:
    log: SqlaAuditLog
    append: AppendEvents
    checkpoint: TakeCheckpoint
    verify: VerifyLog
    trail: ReadTrail
    public_key: str
    published: CheckpointFiles | None = None


def auditor_tools(settings: AuditSettings, engine) -> AuditorTools:
    """`engine` must hold the writer role (see adapters.sqla_log.writer_engine)."""
    clock = SystemClock()
    log = SqlaAuditLog(engine)
    append = AppendEvents(uow=lambda: SqlaAuditUnitOfWork(engine))
    signer = Ed25519Signer(settings.resolved_signing_key())
    folder = settings.published_checkpoints_dir()
    published = CheckpointFiles(folder) if folder else None
    return AuditorTools(
        log=log, append=append, published=published,
        checkpoint=TakeCheckpoint(log=log, uow=lambda: SqlaAuditUnitOfWork(engine), signer=signer, clock=clock,
                                  published=published),
        verify=VerifyLog(log=log, signature_valid=signature_valid, previous_keys=settings.retired_keys,
                         published=published),
        trail=ReadTrail(log=log, append=append, clock=clock),
        public_key=signer.public_key_b64,
    )


