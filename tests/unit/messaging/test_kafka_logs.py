"""aiokafka's harmless start-up errors are dropped; broker unavailability is a warning; the rest is untouched."""

import logging

from shared.messaging.kafka_logs import KafkaNoise


def record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_coordinator_not_available_at_start_is_dropped():
    line = record("aiokafka.consumer.group_coordinator", logging.ERROR,
                  "Group Coordinator Request failed: [Error 15] GroupCoordinatorNotAvailableError")
    assert KafkaNoise().filter(line) is False


def test_an_unreachable_broker_is_a_warning_not_an_error():
    line = record("aiokafka", logging.ERROR, "Unable connect to node with id 1: [Errno 111] Connect call failed")
    assert KafkaNoise().filter(line) is True and line.levelname == "WARNING"


def test_other_errors_and_other_loggers_are_left_alone():
    ours = record("shared.messaging.delivery", logging.ERROR, "ALERT dead-lettered Unable connect to node")
    theirs = record("aiokafka.producer", logging.ERROR, "Unexpected error in sender routine")
    assert KafkaNoise().filter(ours) and ours.levelname == "ERROR"
    assert KafkaNoise().filter(theirs) and theirs.levelname == "ERROR"
