"""The auditor-facing use cases, built once from settings for the CLI and the HTTP API alike."""

from dataclasses import dataclass

from shared.clock import SystemClock
from services.audit.adapters.checkpoint_files import CheckpointFiles
from services.audit.adapters.ed25519_signer import Ed25519Signer, signature_valid
from services.audit.adapters.sqla_log import SqlaAuditLog, SqlaAuditUnitOfWork
from services.audit.adapters.witness_http import HttpWitness
from services.audit.application.append_events import AppendEvents
from services.audit.application.checkpoints import TakeCheckpoint
from services.audit.application.trail import ReadTrail
from services.audit.application.verification import VerifyLog
from services.audit.application.witnessing import SubmitToWitness
from services.audit.config import AuditSettings


@dataclass
class AuditorTools:
    log: SqlaAuditLog
    append: AppendEvents
    checkpoint: TakeCheckpoint
    verify: VerifyLog
    trail: ReadTrail
    public_key: str
    origin: str
    published: CheckpointFiles | None = None
    witness: SubmitToWitness | None = None  # when a witness is configured (and checkpoints are published)


def auditor_tools(settings: AuditSettings, engine) -> AuditorTools:
    """`engine` must hold the writer role (see adapters.sqla_log.writer_engine)."""
    clock = SystemClock()
    log = SqlaAuditLog(engine, settings.log_origin)
    append = AppendEvents(uow=lambda: SqlaAuditUnitOfWork(engine))
    signer = Ed25519Signer(settings.resolved_signing_key())
    folder = settings.published_checkpoints_dir()
    published = CheckpointFiles(folder) if folder else None
    keys = (signer.public_key_b64, *settings.retired_keys)
    witness = (SubmitToWitness(log=log, witness=HttpWitness(settings.witness_url), published=published,
                               trusted_keys=keys, origin=settings.log_origin)
               if settings.witness_url and published else None)
    return AuditorTools(
        log=log, append=append, published=published, witness=witness,
        checkpoint=TakeCheckpoint(log=log, uow=lambda: SqlaAuditUnitOfWork(engine), signer=signer, clock=clock,
                                  published=published, origin=settings.log_origin),
        verify=VerifyLog(log=log, signature_valid=signature_valid, previous_keys=settings.retired_keys,
                         published=published, witness_key=settings.witness_key, origin=settings.log_origin),
        trail=ReadTrail(log=log, append=append, clock=clock),
        public_key=signer.public_key_b64, origin=settings.log_origin,
    )


