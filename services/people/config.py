"""People's settings: the matcher policy in force (by version, never by date) and where health listens."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings
from services.people.domain.match_policy import DEFAULT


class PeopleSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PEOPLE_", extra="ignore")

    match_policy_version: str = Field(default=DEFAULT.version, description="The matcher policy in force")
    host: str = "127.0.0.1"
    port: int = 8005
