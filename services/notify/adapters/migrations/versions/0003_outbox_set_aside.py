"""The outbox's set-aside table: a row Kafka refuses for good is moved there, so it never blocks the relay.

Revision ID: 0003
"""

from shared.db.ddl import set_aside_steps

revision = "0003"
down_revision = "0002"
upgrade, downgrade = set_aside_steps("notify")
