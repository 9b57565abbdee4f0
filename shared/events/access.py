"""Casework's record of a practitioner looking children up (`access.events`): searching the person index is an
access to special-category data, so each search is in the audit log with who, why and what came back.

A search concerns no one referral: the envelope's `referral_id` is the search's own id (the Kafka key)."""

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.envelope import EventEnvelope


class ChildRecordsSearchedPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actor: str
    roles: list[str]
    criteria: dict[str, str] = Field(description="The fields searched on and the values given")
    person_ids: list[UUID] = Field(default_factory=list, description="The children the search showed")


class ChildRecordsSearched(EventEnvelope):
    event_type: Literal["ChildRecordsSearched"] = "ChildRecordsSearched"
    schema_version: Literal[1] = 1
    payload: ChildRecordsSearchedPayload
