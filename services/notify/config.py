"""Notify's settings: the directory file and the console link messages point to."""

from pathlib import Path

from pydantic_settings import SettingsConfigDict

from shared.localinfra.stack import PROJECT_ROOT
from shared.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    directory_file: Path = PROJECT_ROOT / "deploy" / "local" / "directory.yaml"
    console_url: str = "http://127.0.0.1:8001"
    max_attempts: int = 5
