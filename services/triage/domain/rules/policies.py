"""Every policy by name: the code a rule set names in `RuleSet.policy` (see `policy.py` for why)."""

from services.triage.domain.rules import history_rules, policy_2026, policy_2027
from services.triage.domain.rules.policy import Policy
from services.triage.domain.rules.predicates import PREDICATES
from services.triage.domain.rules.predicates_2027 import PREDICATES_2027
from services.triage.domain.rules.ruleset import RuleSet

POLICIES: dict[str, Policy] = {
    "2026": Policy("2026", PREDICATES, policy_2026.rag, policy_2026.assessed_level, policy_2026.review_reasons,
                   policy_2026.secondary, policy_2026.SERVICE_QUEUES),
    "2027": Policy("2027", PREDICATES_2027, policy_2027.rag, policy_2027.assessed_level, policy_2027.review_reasons,
                   policy_2026.secondary, policy_2026.SERVICE_QUEUES),
    "2028": Policy("2028", PREDICATES_2027, policy_2027.rag, policy_2027.assessed_level, policy_2027.review_reasons,
                   policy_2026.secondary, policy_2026.SERVICE_QUEUES,
                   after=(history_rules.after_rules, history_rules.apply_history, history_rules._re_referral,
                          history_rules._with_parallel)),
}


def policy_of(ruleset: RuleSet) -> Policy:
    return POLICIES[ruleset.policy]
