"""DDL for the plumbing tables every service's first migration creates in its own schema.

Written out as SQL, not `metadata.create_all`, so that a migration keeps meaning what it meant the day it
was written, whatever the table declarations become later.
"""


def inbox_and_outbox(schema: str) -> list[str]:
    return [
        f"""CREATE TABLE {schema}.inbox (
              event_id uuid PRIMARY KEY,
              received_at timestamptz NOT NULL DEFAULT now())""",
        f"""CREATE TABLE {schema}.outbox (
              id bigserial PRIMARY KEY,
              event_id uuid NOT NULL UNIQUE,
              aggregatetype varchar(255) NOT NULL,
              aggregateid varchar(255) NOT NULL,
              type varchar(255) NOT NULL,
              payload bytea NOT NULL,
              headers jsonb NOT NULL,
              created_at timestamptz NOT NULL DEFAULT now())""",
    ]


def outbox_set_aside(schema: str) -> list[str]:
    """Where the relay moves an outbox row Kafka refuses for good (too large, invalid): kept, never lost."""
    return [
        f"""CREATE TABLE {schema}.outbox_set_aside (
              id bigint PRIMARY KEY,
              event_id uuid NOT NULL,
              aggregatetype varchar(255) NOT NULL,
              aggregateid varchar(255) NOT NULL,
              type varchar(255) NOT NULL,
              payload bytea NOT NULL,
              headers jsonb NOT NULL,
              created_at timestamptz NOT NULL,
              reason varchar(300) NOT NULL,
              set_aside_at timestamptz NOT NULL DEFAULT now())""",
    ]
