"""What the deployment files (docker-compose.yml, deploy/k8s) are checked against: each service's settings
class and the environment variable names it reads."""

from pathlib import Path

import yaml

from shared.settings import PlatformSettings
from services.audit.config import AuditSettings
from services.casework.config import CaseworkSettings
from services.intake.config import IntakeSettings
from services.notify.config import NotifySettings
from services.people.config import PeopleSettings
from services.triage.config import TriageSettings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETTINGS = {"intake": IntakeSettings, "people": PeopleSettings, "triage": TriageSettings, "casework": CaseworkSettings,
            "notify": NotifySettings, "audit": AuditSettings}


def env_names(settings_cls) -> set[str]:
    prefix = settings_cls.model_config.get("env_prefix", "")
    own = {f"{prefix}{name}".upper() for name in settings_cls.model_fields if name != "platform"}
    return own | {name.upper() for name in PlatformSettings.model_fields}
