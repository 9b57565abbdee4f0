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


def set_aside_steps(schema: str, *extra_up: str, extra_down: tuple[str, ...] = ()):
    """(upgrade, downgrade) for a service migration that adds the outbox's set-aside table, plus any extra
    statements of that service's own: every service's migration is this one step."""
    from alembic import op

    def upgrade() -> None:
        for statement in (*outbox_set_aside(schema), *extra_up):
            op.execute(statement)

    def downgrade() -> None:
        for statement in (*extra_down, f"DROP TABLE {schema}.outbox_set_aside"):
            op.execute(statement)

    return upgrade, downgrade
