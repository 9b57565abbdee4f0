"""The outbox's set-aside table: a row Kafka refuses for good is moved there, so it never blocks the relay.
Also an index on received_at, for the completeness check.

Revision ID: 0005
"""

from shared.db.ddl import set_aside_steps

revision = "0005"
down_revision = "0004"
upgrade, downgrade = set_aside_steps("intake", "CREATE INDEX referrals_received_at ON intake.referrals (received_at)",
                                      extra_down=("DROP INDEX intake.referrals_received_at",))
