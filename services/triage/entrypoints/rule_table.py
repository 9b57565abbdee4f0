"""The rule table rendered for practitioners (Markdown) and spreadsheets (CSV)."""

import csv
import io

from services.triage.domain.rules.ruleset import RuleSet

COLUMNS = ("Rule", "Name", "Routes to", "Urgency", "Level of need", "Consent needed", "What it means", "Source")


def _rows(ruleset: RuleSet) -> list[tuple[str, ...]]:
    names = ruleset.queue_names
    return [(r.rule_id, r.title, names.get(r.queue.value, r.queue.value) if r.queue else "-",
             r.rag.value if r.rag else "-", str(r.level) if r.level else "2 or 3 (by needs)",
             "yes" if r.consent_required else "no", r.summary, r.source)
            for r in (*ruleset.rules, *ruleset.history_rules)]


def _thresholds(ruleset: RuleSet) -> list[str]:
    t = ruleset.thresholds
    return [
        f"Early Help ages: unborn to {t.early_help_max_age}, or to {t.early_help_max_age_send} with SEND",
        f"Disabled Children's Team ages: {t.dct_min_age}-{t.dct_max_age}",
        f"Transition: {t.transition_start_age}-{t.transition_child_max_age}, or to {t.transition_ehcp_max_age} "
        "with an EHCP in education or training",
        f"Youth Offending: {t.yos_min_age}-{t.yos_max_age}",
        "Statutory concerns: " + ", ".join(sorted(t.statutory_concerns)),
        "Screening clock (hours): " + ", ".join(f"{k} {v:g}" for k, v in t.rag_hours.items()),
        f"Referral decision due within {t.decision_working_days} working day(s), England bank holidays excluded",
    ] + ([f"A young person's own consent counts from age {t.young_person_consent_age}; younger, a practitioner "
          "confirms their competence (Gillick)"] if t.young_person_consent_age else []) + (
        [f"Youth justice prevention (Turnaround) within {t.prevention_window_days} days of the event; court work "
         "at any time"] if t.prevention_window_days else []) + (
        [f"Cumulative harm: {t.repeat_referral_threshold} earlier referrals in 12 months go to a practitioner "
         "(history rules HR0-HR4 apply after the rules above)"] if t.repeat_referral_threshold else [])


def markdown(ruleset: RuleSet) -> str:
    lines = [f"# Triage rules, version {ruleset.version}", "",
             f"Content hash `{ruleset.content_hash[:16]}`"
             + (" (data and rule code)" if ruleset.hash_covers_code else " (data; code pinned separately)")
             + f". {ruleset.changes}", "",
             "Rules are checked in order; the first that applies sets the queue. Statutory safeguarding always "
             "wins; each later service match is parallel work: a work item of its own on that team's queue, "
             "with its own clock and owner.", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in _rows(ruleset)]
    lines += ["", "## Thresholds", ""] + [f"- {line}" for line in _thresholds(ruleset)]
    return "\n".join(lines) + "\n"


def csv_text(ruleset: RuleSet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_rows(ruleset))
    return out.getvalue()
