"""The development settings file the services read (`FRONTDOOR_ENV_FILE`, default `.frontdoor/local.env`).

Written by `frontdoor infra up` / `run all`: where the local broker and database are, the audit signing key
file (generated here, once, by an explicit step), the folder for checkpoints kept outside the database, and
the directory seed for notify. The services only read it; nothing changes `os.environ`.
"""

from pathlib import Path

from services.audit.adapters.ed25519_signer import write_new_key
from tools.localinfra.stack import PROJECT_ROOT, Endpoints, LocalStack

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


def prepare(stack: LocalStack | None = None) -> tuple[Endpoints, Path]:
    """`infra up`: the servers (started or reused), then the development settings file the services read."""
    stack = stack or LocalStack()
    endpoints = stack.up()
    return endpoints, write_env_file(stack.state_dir / "local.env", development_settings(stack.state_dir, endpoints))


def tear_down(stack: LocalStack | None = None) -> None:
    """`infra down`: stop the servers by pid; the settings file goes with them (its ports are gone)."""
    stack = stack or LocalStack()
    stack.down()
    (stack.state_dir / "local.env").unlink(missing_ok=True)
