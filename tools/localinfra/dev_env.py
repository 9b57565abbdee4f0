"""The development settings file the services read (`FRONTDOOR_ENV_FILE`, default `.frontdoor/local.env`).

Written by `frontdoor infra up` / `run all`: where the local broker and database are, the audit signing key
file (generated here, once, by an explicit step), the folder for checkpoints kept outside the database, and
the directory seed for notify. The services only read it; nothing changes `os.environ`.
"""

import json
from pathlib import Path

from services.audit.adapters.ed25519_signer import Ed25519Signer, write_new_key
from services.audit.config import AuditSettings
from services.audit.domain.checkpoint import note_verifier_key
from tools.localinfra.processes import free_port, pid_alive
from tools.localinfra.stack import PROJECT_ROOT, Endpoints, LocalStack
from tools.localinfra.witness import LocalWitness

DEV_DIRECTORY = PROJECT_ROOT / "deploy" / "local" / "directory.yaml"


def development_settings(state_dir: Path, endpoints: Endpoints) -> dict[str, str]:
    key_file = state_dir / "audit-signing.key"
    write_new_key(key_file)
    return {**endpoints.as_env(), "AUDIT_SIGNING_KEY_FILE": str(key_file),
            "AUDIT_CHECKPOINT_DIR": str(state_dir / "audit-checkpoints"), "NOTIFY_DIRECTORY_FILE": str(DEV_DIRECTORY)}


def write_env_file(path: Path, values: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return path


def prepare(stack: LocalStack | None = None, *, witness: bool = False) -> tuple[Endpoints, Path]:
    """`infra up`: the servers (started or reused), then the development settings file the services read;
    with `witness`, also a local witness of the audit log (`AUDIT_WITNESS_URL`, `AUDIT_WITNESS_KEY`)."""
    stack = stack or LocalStack()
    endpoints = stack.up()
    settings = development_settings(stack.state_dir, endpoints)
    if witness:
        settings |= witness_settings(stack, settings["AUDIT_SIGNING_KEY_FILE"])
    return endpoints, write_env_file(stack.state_dir / "local.env", settings)


def witness_settings(stack: LocalStack, key_file: str) -> dict[str, str]:
    """Start (or reuse) the local witness, trusting this stack's audit key; recorded in `witness.json`."""
    record = stack.state_dir / "witness.json"
    if record.exists() and pid_alive((running := json.loads(record.read_text()))["pid"]):
        return {"AUDIT_WITNESS_URL": running["url"], "AUDIT_WITNESS_KEY": running["key"]}
    witness = LocalWitness(stack.state_dir / "witness", free_port(58090))
    # the key audit will sign with, resolved as audit resolves it (AUDIT_SIGNING_KEY, when set, wins)
    audit = AuditSettings(signing_key_file=Path(key_file))
    log_key = note_verifier_key(Ed25519Signer(audit.resolved_signing_key()).public_key_b64, audit.log_origin)
    pid = witness.start(stack.cache_dir, log_key)
    record.write_text(json.dumps({"pid": pid, "url": witness.url, "key": witness.verifier_key}))
    return {"AUDIT_WITNESS_URL": witness.url, "AUDIT_WITNESS_KEY": witness.verifier_key}


def stop_witness(stack: LocalStack) -> None:
    record = stack.state_dir / "witness.json"
    if record.exists():
        LocalWitness.stop(json.loads(record.read_text())["pid"])
        record.unlink()


def tear_down(stack: LocalStack | None = None) -> None:
    """`infra down`: stop the servers (and the witness, if started) by pid; the settings file goes with them
    (its ports are gone)."""
    stack = stack or LocalStack()
    stop_witness(stack)
    stack.down()
    (stack.state_dir / "local.env").unlink(missing_ok=True)
