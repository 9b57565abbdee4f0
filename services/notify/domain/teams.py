"""How messages name each queue's team (the notify service's own wording; ids stay the contract)."""

TEAM_NAMES = {
    "statutory_safeguarding": "MASH social work (statutory safeguarding)",
    "early_help": "Early Help",
    "disabled_children": "Disabled Children's Team",
    "adult_transition": "Preparing for adulthood (transition)",
    "youth_offending": "Youth Offending Service",
    "mash_review": "MASH review",
    "signposting": "Advice and signposting",
}


def team_name(queue_id: str) -> str:
    return TEAM_NAMES.get(queue_id, queue_id)
