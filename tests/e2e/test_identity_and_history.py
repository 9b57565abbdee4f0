"""Child identity and history on the running system (real Kafka and PostgreSQL, every service): the same child
posted three times with the slips partners make is one person and the third referral is decided under the
history rules (2028.1; 003_56ebd3a87872184e.txt §15); twins posted the same day stay two children; a
practitioner finds a child by name and confirms a possible match (both audited), and a confirmed link that
brings a third referral in a year decides the referral again and moves its work; replay needs no live index."""

import json
import uuid

import httpx
import pytest

from shared.auth.tokens import AuthSettings, Tokens
from services.audit.entrypoints.cli import tools_for
from tests.support.audit import audit_settings
from tests.support.observe import fetch, wait_for
from tests.support.referrals import another_child, letters, referral_body
from tests.support.system import RunningSystem
from tools.replay import replay_referral

pytestmark = pytest.mark.infra
TOKENS = Tokens(AuthSettings())
MO = TOKENS.issue("mo", ["manager"])
ADA = TOKENS.issue("ada", ["auditor"])


@pytest.fixture(scope="module")
async def system(endpoints):
    running = await RunningSystem(endpoints).start()
    yield running
    await running.stop()


def child(**fields) -> dict:
    return {"given_name": another_child(), "family_name": "Okafor" + letters(), "date_of_birth": "2015-06-02",
            "sex": "female", "postcode": "NN1 3AB"} | fields


async def decided(system, child_fields: dict, **body) -> tuple[str, dict]:
    """Post a referral about `child_fields` and wait for triage's decision."""
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=referral_body(child=child_fields, **body),
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 202, response.text
    rid = response.json()["referral_id"]
    rows = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT decision FROM triage.decisions "
                                        "WHERE referral_id = $1", uuid.UUID(rid)), what="decision", timeout=60)
    return rid, json.loads(rows[0]["decision"])


async def test_the_third_referral_about_one_child_is_a_re_referral_decided_on_cumulative_harm(system):
    maisie = child()
    first, d1 = await decided(system, maisie)
    second, d2 = await decided(system, {**maisie, "given_name": maisie["given_name"].upper(), "sex": "unknown",
                                        "postcode": "nn13ab"})  # case, spacing, sex not given
    third, d3 = await decided(system, {**maisie, "family_name": maisie["family_name"].upper(), "postcode": None})
    assert d1["re_referral_within_12_months"] is False and d1["primary_queue"] == "early_help"
    assert d2["re_referral_within_12_months"] is True and d2["primary_queue"] == "early_help"
    person = d1["history"]["person_id"]
    assert d2["history"]["person_id"] == d3["history"]["person_id"] == person
    assert [r["referral_id"] for r in d3["history"]["snapshot"]["referrals_last_12_months"]] == [first, second]
    assert (d3["primary_queue"], d3["rag"], d3["needs_human_review"]) == ("mash_review", "red", True)
    assert d3["secondary_queues"] == ["early_help"] and d3["ruleset_version"] == "2028.1"
    trace = {t["rule_id"]: t for t in d3["trace"]}
    assert trace["HR0"]["matched"] and trace["HR0"]["facts"]["earlier_referrals"] == [first, second]
    assert trace["HR2"]["matched"] and trace["HR2"]["facts"]["earlier_referrals"] == 2

    async with tools_for(audit_settings(system.endpoints)) as tools:  # the audit log alone, no person index
        result = await wait_for(lambda: _replayed(tools, third), what="replay of the third decision", timeout=30)
    assert result.matches and result.ruleset_version == "2028.1", result.problems


async def _replayed(tools, rid: str):
    result = await replay_referral(tools, rid, reader="test-auditor")
    return result if result.found and not any("log holds no" in p for p in result.problems) else None


async def test_twins_posted_on_the_same_day_stay_two_children(system):
    ella = child(given_name="Ella", date_of_birth="2019-03-01")
    _, first = await decided(system, ella)
    twin_id, second = await decided(system, {**ella, "given_name": "Ellie"})
    assert first["history"]["person_id"] != second["history"]["person_id"]
    assert second["history"]["match_grade"] in ("probable", "possible")  # offered to a person, never merged
    assert second["needs_human_review"] and second["re_referral_within_12_months"] is False
    rows = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT candidates FROM casework.referrals "
                                        "WHERE referral_id = $1", uuid.UUID(twin_id)), what="casework copy")
    assert [c["person_id"] for c in json.loads(rows[0]["candidates"])] == [first["history"]["person_id"]]


async def test_a_practitioner_finds_the_child_by_name_and_confirms_a_possible_match(system):
    surname = "Okafor" + letters()
    known_id, known = await decided(system, child(given_name="Maisie", family_name=surname))
    near_id, near = await decided(system, child(given_name="Maisy", family_name=surname))
    assert near["history"]["match_grade"] == "probable"
    assert near["history"]["person_id"] != known["history"]["person_id"]
    item = (await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT id FROM casework.work_items WHERE "
                                         "referral_id = $1 AND primary_item_id IS NULL", uuid.UUID(near_id)),
                           what="work item"))[0]["id"]

    headers = {"Authorization": f"Bearer {MO}", "Origin": system.staff_url}
    async with httpx.AsyncClient(base_url=system.staff_url, headers=headers) as mo:
        found = await mo.get("/console/search", params={"name": f"maisy {surname.lower()}"})
        assert found.status_code == 200 and f"/console/children/{near['history']['person_id']}" in found.text
        page = await mo.get(f"/console/items/{item}")
        assert "Possible earlier records of this child" in page.text and "Re-referral" in page.text
        confirm = f"/console/referrals/{near_id}/candidates/{known['history']['person_id']}/confirm"
        done = await mo.post(confirm, data={"back": f"/console/items/{item}"})
        assert done.status_code == 303 and "done=Same%20child%20confirmed" in done.headers["location"]
        assert (await mo.post(confirm, data={})).status_code == 409  # the first decision stands
        timeline = await mo.get(f"/console/children/{known['history']['person_id']}")
        assert timeline.status_code == 200 and "Maisie" in timeline.text
    async with httpx.AsyncClient(base_url=system.staff_url, headers={"Authorization": f"Bearer {ADA}"}) as ada:
        assert (await ada.get("/console/search", params={"name": "maisy"})).status_code == 403

    merged = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT merged_into FROM people.persons "
                                          "WHERE person_id = $1 AND merged_into IS NOT NULL",
                                          uuid.UUID(near["history"]["person_id"])), what="people links the person")
    assert str(merged[0]["merged_into"]) == known["history"]["person_id"]
    audited = await wait_for(lambda: _audited(system, near_id), what="the link and the search in the audit log")
    assert audited >= {"PersonLinkConfirmed", "ChildRecordsSearched"}

    _, later = await decided(system, child(given_name="Maisie", family_name=surname))
    assert later["history"]["person_id"] == known["history"]["person_id"]
    assert later["history"]["snapshot"]["link_confirmed"] is True
    assert {r["referral_id"] for r in later["history"]["snapshot"]["referrals_last_12_months"]} == {known_id, near_id}


async def _audited(system, referral_id: str) -> set[str] | None:
    rows = await fetch(system.endpoints.database_url, "SELECT event_type, canonical FROM audit.log WHERE "
                       "referral_id = $1 OR event_type = 'ChildRecordsSearched'", uuid.UUID(referral_id))
    kinds = {r["event_type"] for r in rows if r["event_type"] != "ChildRecordsSearched"}
    searched = any("maisy" in bytes(r["canonical"]).decode().lower() for r in rows
                   if r["event_type"] == "ChildRecordsSearched")
    found = kinds | ({"ChildRecordsSearched"} if searched else set())
    return found if {"PersonLinkConfirmed", "ChildRecordsSearched"} <= found else None


async def test_confirming_a_link_that_makes_a_third_referral_in_a_year_decides_it_again_and_moves_the_work(system):
    surname = "Okafor" + letters()
    maisie = child(given_name="Maisie", family_name=surname)
    first, known = await decided(system, maisie)
    second, _ = await decided(system, maisie)
    near_id, near = await decided(system, child(given_name="Maisy", family_name=surname))
    assert near["history"]["match_grade"] == "probable" and near["primary_queue"] == "early_help"
    item = (await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT id FROM casework.work_items WHERE "
                                         "referral_id = $1 AND primary_item_id IS NULL", uuid.UUID(near_id)),
                           what="work item"))[0]["id"]
    async with httpx.AsyncClient(base_url=system.staff_url,
                                 headers={"Authorization": f"Bearer {MO}", "Origin": system.staff_url}) as mo:
        confirm = f"/console/referrals/{near_id}/candidates/{known['history']['person_id']}/confirm"
        assert (await mo.post(confirm, data={})).status_code == 303

    # people joins the persons and sends the joined history; triage decides again (HR2: the third referral in a
    # year, 003_56ebd3a87872184e.txt §15); casework moves the work to the MASH review queue, red, unclaimed
    moved = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT queue_id, rag, state FROM "
                                         "casework.work_items WHERE id = $1 AND queue_id = 'mash_review'", item),
                           what="the work item moved", timeout=60)
    assert (moved[0]["rag"], moved[0]["state"]) == ("red", "new")
    now = json.loads((await fetch(system.endpoints.database_url, "SELECT decision FROM triage.decisions WHERE "
                                  "referral_id = $1", uuid.UUID(near_id)))[0]["decision"])
    assert (now["primary_queue"], now["re_referral_within_12_months"]) == ("mash_review", True)
    assert {r["referral_id"] for r in now["history"]["snapshot"]["referrals_last_12_months"]} == {first, second}
    assert await wait_for(lambda: _logged(system, near_id, {"ReferralReidentified", "ReferralRedecided",
                                                            "WorkItemRedecided"}), what="the re-decision audited")
    async with tools_for(audit_settings(system.endpoints)) as tools:
        result = await replay_referral(tools, near_id, reader="test-auditor")
    assert result.matches, result.problems


async def _logged(system, referral_id: str, wanted: set[str]) -> bool:
    rows = await fetch(system.endpoints.database_url, "SELECT event_type FROM audit.log WHERE referral_id = $1",
                       uuid.UUID(referral_id))
    return wanted <= {r["event_type"] for r in rows}
