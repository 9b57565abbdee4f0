"""Every published rule set by version id. The version in force is chosen by configuration, never by the clock;
old versions stay here forever so that audit can replay any past decision.

Each version's code hash (policy.py) is filled in here and pinned: `PUBLISHED_CODE_HASHES` is what the code of
each version hashed to when it was published. A test fails if any line a published version runs changes, and
replay names such a change plainly instead of re-running a past decision under different logic.
"""

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import cache

from services.triage.domain import facts
from services.triage.domain.rules import engine, table_2026_1, table_2026_2_wnc, table_2027_1, table_2028_1
from services.triage.domain.rules.policies import POLICIES
from services.triage.domain.rules.ruleset import RuleSet

SHARED_CODE = (facts.ReferralFacts, facts.age_on, facts._contradictions, facts._age_at_event,
               facts.facts_from_referral, engine.decide, engine._evaluate, engine._entry)


TABLES: dict[str, RuleSet] = {t.RULESET.version: t.RULESET
                              for t in (table_2026_1, table_2026_2_wnc, table_2027_1, table_2028_1)}


@cache
def _with_code_hash(version: str) -> RuleSet:
    """The published table with its code hash (hashing reads the policy's source, so only when first used)."""
    ruleset = TABLES[version]
    return replace(ruleset, code_hash=POLICIES[ruleset.policy].code_hash(SHARED_CODE))


class _Registry(Mapping[str, RuleSet]):
    def __getitem__(self, version: str) -> RuleSet:
        return _with_code_hash(version)

    def __iter__(self) -> Iterator[str]:
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


RULESETS: Mapping[str, RuleSet] = _Registry()
DEFAULT_VERSION = "2028.1"
PUBLISHED_CODE_HASHES = {
    "2026.1": "f84ac9d219c83948477fd85cd28e091df29c1d3257e85dcbf4751acb6b5e97a2",
    "2026.2-wnc": "f84ac9d219c83948477fd85cd28e091df29c1d3257e85dcbf4751acb6b5e97a2",
    "2027.1": "afd9a90692ca4d8f1ca5f4fc8412c21bab18cc96d9745556bff268435b6cc3d9",
    "2028.1": "2450171bdcda49c91e21fbcdd565b25b174ea8de2e6757bc56df5ce51259a144",
}


class UnknownRuleSet(KeyError):
    """A configured or recorded version that this build does not have: a deployment error, never guessed."""


def get_ruleset(version: str) -> RuleSet:
    try:
        return RULESETS[version]
    except KeyError:
        raise UnknownRuleSet(f"unknown rule set {version!r}; known: {', '.join(sorted(RULESETS))}") from None


def code_drift(ruleset: RuleSet) -> str | None:
    """Why `ruleset`'s code is not the code it was published with, or None when it is."""
    pinned = PUBLISHED_CODE_HASHES.get(ruleset.version)
    if pinned is None or pinned == ruleset.code_hash:
        return None
    return (f"the rule code of {ruleset.version} has changed since it was published (code hash {pinned[:12]} "
            f"published, {ruleset.code_hash[:12]} now): a decision made under it cannot be re-run faithfully")
