"""Words people use, for the codes the contract carries: what the console shows instead of
`physical_abuse`, `WorkItemClaimed`, `2A` or a seed file name. Presentation only; the codes stay the contract."""

import re
from datetime import date

from shared.events.codes import CONCERN_CIN_FACTORS, ReferralSource
from shared.events.workitems import WORK_ITEM_EVENTS

CONCERNS = {
    "alcohol_misuse_child": "Alcohol misuse (child)", "alcohol_misuse_parent": "Alcohol misuse (parent or carer)",
    "drug_misuse_child": "Drug misuse (child)", "drug_misuse_parent": "Drug misuse (parent or carer)",
    "domestic_abuse_child": "Domestic abuse (child)", "domestic_abuse_parent": "Domestic abuse (parent or carer)",
    "mental_health_child": "Mental health (child)", "mental_health_parent": "Mental health (parent or carer)",
    "learning_disability_child": "Learning disability", "physical_disability_child": "Physical disability or illness",
    "young_carer": "Young carer", "privately_fostered": "Privately fostered",
    "unaccompanied_asylum_seeker": "Unaccompanied asylum-seeking child", "going_missing": "Going missing",
    "child_sexual_exploitation": "Child sexual exploitation", "trafficking": "Trafficking",
    "gang_involvement": "Gang involvement", "socially_unacceptable_behaviour": "Socially unacceptable behaviour",
    "self_harm": "Self-harm", "neglect": "Neglect", "emotional_abuse": "Emotional abuse",
    "physical_abuse": "Physical abuse", "sexual_abuse": "Sexual abuse", "fgm": "Female genital mutilation",
    "abuse_linked_to_faith_or_belief": "Abuse linked to faith or belief",
    "child_criminal_exploitation": "Child criminal exploitation", "radicalisation": "Radicalisation",
    "school_attendance": "School attendance", "behaviour": "Behaviour", "parenting_support": "Parenting support",
    "housing": "Housing", "financial_hardship": "Financial hardship", "child_development": "Child development",
    "other": "Other",
}
assert set(CONCERNS) == set(CONCERN_CIN_FACTORS), "every concern code needs a label"

SOURCES = {"1A": "Family member", "1B": "Acquaintance", "1C": "Self-referral", "1D": "Other individual",
           "2A": "School", "2B": "Education services", "3A": "GP", "3B": "Health visitor", "3C": "School nurse",
           "3D": "Other primary health", "3E": "A&E", "3F": "Other health", "4": "Housing",
           "5A": "Local authority social care", "5B": "Other local authority service", "5C": "Another local authority",
           "5D": "Early help", "6": "Police", "7": "Other legal agency", "8": "Other", "9": "Anonymous",
           "10": "Not known"}
assert set(SOURCES) == {s.value for s in ReferralSource}, "every referral source needs a label"

EVENTS = {"WorkItemClaimed": "Claimed", "WorkItemReleased": "Released", "WorkItemTransferred": "Transferred",
          "RouteOverridden": "Route overridden by a manager", "WorkItemClosed": "Closed",
          "WorkItemRedecided": "Decided again: the child's identity was confirmed",
          "ReferrerFeedbackSent": "Feedback sent to the referrer", "SlaWarning": "Screening time nearly up",
          "SlaBreached": "Screening time passed"}

assert set(EVENTS) == set(WORK_ITEM_EVENTS), "every work-item event needs a label"

CONSENT = {"given": "Given", "refused": "Refused", "not_sought": "Not sought"}
CONSENT_BY = {"parent": "by a parent or carer", "young_person": "by the young person",
              "both": "by parent and young person"}

SEEDS = {"000_ee158e0efe60adf9.txt": "Northamptonshire Local Offer (early help services)",
         "001_5a30536d8eda2525.txt": "Northamptonshire Safeguarding Children Partnership (early help)",
         "002_ce8578ada15e8e4b.txt": "Peterborough Local Offer (early help and social care)",
         "003_56ebd3a87872184e.txt": "Northamptonshire Early Help Strategy 2020",
         "004_76cdd0f006a56f02.txt": "Wakefield early help procedure"}
SEED_NAME = re.compile("|".join(map(re.escape, SEEDS)))


def source_text(source: str) -> str:
    """A rule's source with each seed file name replaced by the document's title."""
    return SEED_NAME.sub(lambda m: SEEDS[m.group(0)], source)


CONCERN_CODE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, CONCERNS), key=len, reverse=True)) + r")\b")


def in_words(text: str) -> str:
    """A rule's recorded reason with the concern codes it quotes shown as words (display only: the recorded
    decision keeps the codes)."""
    return CONCERN_CODE.sub(lambda m: CONCERNS[m.group(0)].lower(), text)


def age_on(born: str | date | None, today: date) -> str:
    """A child's age as a practitioner says it: "4 y", "7 m" under one, "unborn" or "age unknown"."""
    if not born:
        return "age unknown"
    born = date.fromisoformat(born) if isinstance(born, str) else born
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    return f"{months // 12} y" if months >= 12 else f"{max(months, 0)} m"


def register(env) -> None:
    """Jinja filters: `concern`, `referral_source`, `event`, `rule_source`, `in_words`, `age_on`."""
    env.filters["age_on"] = age_on
    env.filters["concern"] = lambda code: CONCERNS.get(code, code)
    env.filters["referral_source"] = lambda code: SOURCES.get(code, code)
    env.filters["event"] = lambda name: EVENTS.get(name, name)
    env.filters["rule_source"] = source_text
    env.filters["in_words"] = in_words
    env.globals["consent_labels"], env.globals["consent_by"] = CONSENT, CONSENT_BY
