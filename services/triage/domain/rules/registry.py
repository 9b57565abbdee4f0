"""Every published rule set by version id. The version in force is chosen by configuration, never by the clock;
old versions stay here forever so that audit can replay any past decision."""

from services.triage.domain.rules import table_2026_1, table_2026_2_wnc
from services.triage.domain.rules.ruleset import RuleSet

RULESETS: dict[str, RuleSet] = {t.RULESET.version: t.RULESET for t in (table_2026_1, table_2026_2_wnc)}
DEFAULT_VERSION = "2026.1"


class UnknownRuleSet(KeyError):
    """A configured or recorded version that this build does not have: a deployment error, never guessed."""


def get_ruleset(version: str) -> RuleSet:
    try:
        return RULESETS[version]
    except KeyError:
        raise UnknownRuleSet(f"unknown rule set {version!r}; known: {', '.join(sorted(RULESETS))}") from None
