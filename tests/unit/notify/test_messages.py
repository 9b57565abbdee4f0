"""Who is told, and what they are told (ids and codes only)."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from services.notify.domain.messages import NoRecipient, Recipient, compose, intents_for
from services.notify.domain.webhook_signature import sign, verify
from services.triage.domain.locality import outward_code

DIRECTORY = [
    Recipient("eh-north", "early_help", "smtp", "eh-north@example.gov.uk", area="NN1"),
    Recipient("eh-all", "early_help", "smtp", "eh@example.gov.uk"),
    Recipient("eh-lead", "early_help", "smtp", "eh-lead@example.gov.uk", role="lead_practitioner"),
    Recipient("mash", "statutory_safeguarding", "smtp", "mash@example.gov.uk"),
    Recipient("dct", "disabled_children", "webhook", "https://dct.example.gov.uk/hook"),
    Recipient("duty", "duty_manager", "smtp", "duty@example.gov.uk", role="duty_manager"),
]


def who(**kw) -> list[tuple[str, str]]:
    defaults = {"trigger": "ReferralTriaged", "queue": "early_help", "rag": "green", "secondary": [],
                "locality": None, "directory": DIRECTORY}
    return [(i.recipient.id, i.purpose) for i in intents_for(**(defaults | kw))]


def test_a_new_item_goes_to_the_queue_team_and_a_local_team_when_one_covers_the_area():
    assert who() == [("eh-all", "action"), ("eh-lead", "action")]
    assert who(locality="NN1") == [("eh-north", "action")]


def test_red_items_and_overrides_also_go_to_the_duty_manager():
    assert who(queue="statutory_safeguarding", rag="red") == [("mash", "action"), ("duty", "action")]
    assert ("duty", "action") in who(trigger="RouteOverridden")


def test_a_referral_decided_again_goes_to_its_new_team_and_if_red_the_duty_manager():
    assert who(trigger="WorkItemRedecided", queue="statutory_safeguarding", rag="red") == [("mash", "action"),
                                                                                             ("duty", "action")]
    message = compose(ref="r", recipient_id="mash", address="a", trigger="WorkItemRedecided", purpose="action",
                      queue_name="MASH", rag="red", due_at=datetime(2026, 11, 20, 16, tzinfo=UTC),
                      console_url="http://c", referral_id=UUID(int=1))
    assert "decided again for MASH" in message.subject


def test_parallel_work_is_an_item_of_its_own_for_its_team_with_its_own_clock():
    due = datetime(2026, 11, 20, 16, tzinfo=UTC)
    intents = intents_for(trigger="ReferralTriaged", queue="statutory_safeguarding", rag="red", secondary=[],
                          locality=None, directory=DIRECTORY, parallel=(("disabled_children", "amber", due),))
    assert [(i.recipient.id, i.purpose, i.rag, i.due_at) for i in intents] == [
        ("mash", "action", None, None), ("duty", "action", None, None), ("dct", "action", "amber", due)]
    with pytest.raises(NoRecipient):
        intents_for(trigger="ReferralTriaged", queue="early_help", rag="green", secondary=[], locality=None,
                    directory=DIRECTORY, parallel=(("youth_offending", "amber", due),))


def test_secondary_queues_of_events_before_parallel_work_are_told_for_information():
    assert who(queue="statutory_safeguarding", rag="red", secondary=["disabled_children"]) == [
        ("mash", "action"), ("duty", "action"), ("dct", "for_information")]


def test_clock_events_go_to_the_duty_manager():
    assert who(trigger="SlaBreached") == who(trigger="SlaWarning") == [("duty", "action")]


def test_a_queue_nobody_is_told_about_is_an_error_not_a_silent_drop():
    with pytest.raises(NoRecipient):
        who(queue="youth_offending")
    with pytest.raises(NoRecipient):
        who(trigger="SlaBreached", directory=DIRECTORY[:-1])


def test_messages_carry_a_link_and_reference_only():
    rid = uuid4()
    message = compose(ref=f"{rid}:e:eh-all", recipient_id="eh-all", address="eh@example.gov.uk",
                      trigger="ReferralTriaged", purpose="action", queue_name="Early Help", rag="amber",
                      due_at=datetime(2026, 11, 20, 16, 0, tzinfo=UTC), console_url="https://mash.example",
                      referral_id=rid)
    assert message.subject == "[AMBER] New referral for Early Help"
    assert f"https://mash.example/referrals/{rid}" in message.body
    assert set(message.fields) == {"reference", "queue", "rag", "due_at", "link", "trigger", "purpose"}


def test_webhook_signatures_verify_and_reject_tampering_and_replay():
    body = b'{"reference":"r"}'
    signature = sign("s3cret", 1_000, body)
    assert verify("s3cret", 1_000, body, signature, now=1_010)
    assert not verify("s3cret", 1_000, body + b" ", signature, now=1_010)
    assert not verify("other", 1_000, body, signature, now=1_010)
    assert not verify("s3cret", 1_000, body, signature, now=2_000)


@pytest.mark.parametrize("postcode, district", [("NN1 1AA", "NN1"), ("nn11aa", "NN1"), ("SW1A 2AA", "SW1A"),
                                                (None, None), ("NN1", None)])
def test_only_the_postcode_district_leaves_triage(postcode, district):
    assert outward_code(postcode) == district
