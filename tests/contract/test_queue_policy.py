"""Casework's queue policy and triage's rule set in force agree (two contexts, one set of queues): names, the
urgency each queue carries, and the screening hours by RAG. A new rule set that changes any of these needs a
new queue policy version in casework (services/casework/domain/queue_policy.py)."""

from shared.events.codes import QueueId
from services.casework.config import CaseworkSettings
from services.casework.domain.queue_policy import POLICIES
from services.triage.config import TriageSettings
from services.triage.domain.rules.registry import get_ruleset


def test_casework_queue_policy_matches_the_triage_rule_set_in_force():
    ruleset = get_ruleset(TriageSettings(_env_file=None).ruleset_version)
    policy = POLICIES[CaseworkSettings(_env_file=None).queue_policy_version]
    assert policy.version == ruleset.version
    assert policy.names == ruleset.queue_names
    assert policy.urgency.queue_rag == ruleset.queue_urgency
    assert policy.urgency.rag_hours == ruleset.thresholds.rag_hours
    assert set(policy.names) == {q.value for q in QueueId}
