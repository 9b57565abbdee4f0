"""The decision for an identified referral: the rule set's own rules (the frozen engine), then the history rules
over the facts the person index recorded (`history_rules.after_rules`: nothing under rule sets from before
history). Pure."""

from datetime import date

from shared.events.referral import ReferralV1
from shared.events.triage import Decision, HistoryFacts
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.history_rules import after_rules
from services.triage.domain.rules.ruleset import RuleSet


def decide_identified(referral: ReferralV1, history: HistoryFacts | None, ruleset: RuleSet, as_of: date) -> Decision:
    return after_rules(decide(referral, ruleset, as_of), history, ruleset)
