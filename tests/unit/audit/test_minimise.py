"""The auditor privacy policy: a trail withholds who the child is and what was written about them by default."""

import json

from services.audit.domain.minimise import WITHHELD, minimise
from tests.support.referrals import PERSONAL_VALUES, referral_body


def received() -> dict:
    body = referral_body(household=[{"relationship": "mother", "given_name": "Mum", "family_name": "Testchild"}],
                         consent={"status": "not_sought", "given_by": None, "reason_not_sought": "Risk to Amelia"},
                         child={"nhs_number": "9434765919"})
    return {"event_type": "ReferralReceived", "payload": {"referral": body, "partner_id": "school"}}


def test_a_received_referral_keeps_codes_and_flags_but_not_the_child():
    shown = minimise(received(), "referrals.received")
    text = json.dumps(shown)
    assert not any(value in text for value in (*PERSONAL_VALUES, "9434765919", "Risk to Amelia", "Mum"))
    referral = shown["payload"]["referral"]
    assert referral["child"]["given_name"] == WITHHELD and referral["child"]["sex"] == "female"
    assert referral["concerns"] == ["school_attendance"] and referral["referrer"]["source"] == "2A"
    assert referral["referrer"]["organisation"] == "St Mary's Primary"  # an organisation, not a person
    assert referral["household"] == f"{WITHHELD} (1 member(s))"


def test_staff_notes_and_reasons_are_withheld_but_rule_explanations_are_not():
    closed = {"event_type": "WorkItemClosed", "payload": {"note": "Spoke to Amelia's mum", "outcome": "signposted"}}
    assert minimise(closed, "workitems.events")["payload"] == {"note": WITHHELD, "outcome": "signposted"}
    triaged = {"event_type": "ReferralTriaged", "payload": {"trace": [{"reason": "Level 4: danger now"}]}}
    assert minimise(triaged, "referrals.triaged") == triaged


def test_the_original_is_not_changed():
    event = received()
    minimise(event, "referrals.received")
    assert event["payload"]["referral"]["child"]["given_name"].startswith("Amelia")


def test_searches_and_link_decisions_keep_who_and_which_child_but_not_what_was_typed():
    searched = {"event_type": "ChildRecordsSearched", "payload": {
        "actor": "pat", "roles": ["practitioner"], "criteria": {"name": "maisie okafor", "date_of_birth": "2015-06-02"},
        "person_ids": ["7d0c2b4e-0c3a-4b35-9d1b-3f2f2a1b9c01"]}}
    shown = minimise(searched, "access.events")["payload"]
    assert shown["criteria"] == {"name": WITHHELD, "date_of_birth": WITHHELD}
    assert shown["actor"] == "pat" and shown["person_ids"] == searched["payload"]["person_ids"]
    linked = {"event_type": "PersonLinkRejected", "payload": {"person_id": "a", "candidate_person_id": "b",
                                                              "actor": "pat", "reason": "Twin: Ella, not Ellie"}}
    assert minimise(linked, "people.events")["payload"]["reason"] == WITHHELD
