"""Work-item rules: who may do what, in which state, with what reason."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.casework.domain import workitems as w
from services.casework.domain.urgency import QueueUrgency
from services.casework.domain.workitems import Actor, Conflict, Invalid, Refused, WorkItem

PAT = Actor("pat", frozenset({"practitioner"}), frozenset({"early_help"}))
SAM = Actor("sam", frozenset({"practitioner"}), frozenset({"early_help"}))
OTHER_TEAM = Actor("olu", frozenset({"practitioner"}), frozenset({"youth_offending"}))
MANAGER = Actor("mo", frozenset({"manager"}), frozenset())
AUDITOR = Actor("ada", frozenset({"auditor"}), frozenset())


NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
URGENCY = QueueUrgency({"statutory_safeguarding": "red", "youth_offending": "amber", "early_help": "green"},
                       {"red": 2, "amber": 6, "green": 24})


def to(queue: str, reason: str | None, now: datetime = NOW) -> w.Move:
    return w.Move(queue, reason, URGENCY, now)


def item(**kw) -> WorkItem:
    return WorkItem(**({"id": uuid4(), "referral_id": uuid4(), "queue_id": "early_help", "secondary_queues": (),
                        "state": "new", "assignee": None, "rag": "green",
                        "due_at": datetime(2026, 11, 23, 9, tzinfo=UTC)} | kw))


def test_claim_then_close_with_an_outcome_and_note():
    claimed = w.claim(item(), PAT)
    assert (claimed.item.state, claimed.item.assignee, claimed.event_type) == ("claimed", "pat", "WorkItemClaimed")
    closed = w.close(claimed.item, PAT, "early_help_assessment", "EHA agreed with parent")
    assert (closed.item.state, closed.item.outcome, closed.details["note"]) == (
        "closed", "early_help_assessment", "EHA agreed with parent")


def test_the_second_claimer_gets_a_conflict():
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Conflict, match="already claimed by someone else"):
        w.claim(claimed, SAM)


@pytest.mark.parametrize("actor", [OTHER_TEAM, AUDITOR])
def test_only_staff_on_the_queue_may_act(actor):
    with pytest.raises(Refused):
        w.claim(item(), actor)


def test_only_a_manager_may_override_and_a_reason_is_required():
    with pytest.raises(Refused):
        w.override(item(), PAT, to("statutory_safeguarding", "worried"))
    with pytest.raises(Invalid) as missing:
        w.override(item(), MANAGER, to("statutory_safeguarding", "  "))
    assert missing.value.field == "reason"
    change = w.override(item(), MANAGER, to("statutory_safeguarding", "new disclosure by phone"))
    assert (change.item.queue_id, change.details["from_queue"]) == ("statutory_safeguarding", "early_help")


def test_transfer_needs_a_reason_and_another_queue_and_returns_the_item_to_new():
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Invalid):
        w.transfer(claimed, PAT, to("youth_offending", None))
    with pytest.raises(Invalid):
        w.transfer(claimed, PAT, to("early_help", "same queue"))
    moved = w.transfer(claimed, PAT, to("youth_offending", "offending is the main need")).item
    assert (moved.queue_id, moved.state, moved.assignee) == ("youth_offending", "new", None)


@pytest.mark.parametrize("outcome, note, field", [("made_up", "n", "outcome"), ("signposted", "", "note")])
def test_closing_needs_a_listed_outcome_and_a_note(outcome, note, field):
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Invalid) as bad:
        w.close(claimed, PAT, outcome, note)
    assert bad.value.field == field


def test_closing_needs_the_item_claimed_by_you_unless_you_manage():
    with pytest.raises(Conflict):
        w.close(item(), PAT, "signposted", "n")
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Conflict):
        w.close(claimed, SAM, "signposted", "n")
    assert w.close(claimed, MANAGER, "signposted", "covering").item.state == "closed"


def test_release_by_the_claimer_or_a_manager_only_and_nothing_happens_to_a_closed_item():
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Refused):
        w.release(claimed, SAM)
    assert w.release(claimed, MANAGER).item.state == "new"
    closed = w.close(claimed, PAT, "signposted", "n").item
    for action in (lambda: w.claim(closed, PAT), lambda: w.transfer(closed, PAT, to("youth_offending", "r"))):
        with pytest.raises(Conflict, match="already closed"):
            action()


@pytest.mark.parametrize(("note", "problem"), [
    ("x" * (w.MAX_STAFF_TEXT + 1), "is too long: at most 4,000 characters"),
    ("\x00" * 200_000, "is too long"),  # the 1.2 MB-in-JSON note that once stopped the relay
    ("Seen today\x00", "must not contain NUL characters"),
    ("lone surrogate \ud800", "must be valid Unicode text"),
])
def test_staff_text_that_no_message_could_carry_is_refused_at_the_edge_naming_the_field(note, problem):
    claimed = w.claim(item(), PAT).item
    with pytest.raises(Invalid) as refused:
        w.close(claimed, PAT, "early_help_assessment", note)
    assert refused.value.field == "note" and refused.value.problem.startswith(problem)
    with pytest.raises(Invalid) as refused:
        w.override(item(), MANAGER, to("statutory_safeguarding", note))
    assert refused.value.field == "reason"


def test_staff_text_at_the_limit_is_accepted():
    assert w.feedback(item(), PAT, "y" * w.MAX_STAFF_TEXT).details["note"] == "y" * w.MAX_STAFF_TEXT


def test_an_override_into_statutory_safeguarding_takes_its_urgency_and_clock():
    """Issue: a green Early Help referral moved with "Sibling disclosed abuse today" stayed green, 24 h."""
    green = item(rag="green", due_at=NOW + timedelta(hours=20))
    moved = w.override(green, MANAGER, to("statutory_safeguarding", "Sibling disclosed abuse today")).item
    assert (moved.rag, moved.due_at) == ("red", NOW + timedelta(hours=2))


def test_a_move_never_lowers_urgency_or_delays_the_clock():
    red = item(rag="red", queue_id="statutory_safeguarding", due_at=NOW + timedelta(minutes=30))
    moved = w.override(red, MANAGER, to("early_help", "Parent asked for family support instead")).item
    assert (moved.rag, moved.due_at) == ("red", NOW + timedelta(minutes=30))
    almost_due = item(rag="green", due_at=NOW + timedelta(hours=1))  # already due sooner than amber's 6 h
    claimed = w.claim(almost_due, PAT).item
    moved = w.transfer(claimed, PAT, to("youth_offending", "offending is the main need")).item
    assert (moved.rag, moved.due_at) == ("amber", NOW + timedelta(hours=1))
