"""aiokafka's log lines, sorted by what an operator should do about them.

aiokafka logs broker unavailability at ERROR, once per node per retry: every start (the consumer group's
coordinator is not elected yet) and every Kafka restart writes bursts of ERROR lines that need no action, since
every service waits Kafka out (`shared/outages.py`). Coordinator start-up noise is dropped; connection and
metadata failures become WARNING (they say Kafka is down, which matters, but is not an error in Front Door).
"""

import logging

STARTUP_NOISE = ("GroupCoordinatorNotAvailableError", "CoordinatorLoadInProgressError")
UNAVAILABLE = ("Unable connect to node", "Unable to update metadata", "NodeNotReadyError", "KafkaConnectionError",
               "Group Coordinator Request failed", "Heartbeat session expired")


class KafkaNoise(logging.Filter):
    """A handler filter (logger filters do not see child loggers' records): applies to `aiokafka.*` only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        if any(marker in message for marker in STARTUP_NOISE):
            return False
        if any(marker in message for marker in UNAVAILABLE):
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
