"""The partner HTTP contract on fakes: every rule gives a 4xx in RFC 9457 shape naming the field."""

import json
import uuid

import asyncpg.exceptions as pg
import httpx
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError

from services.intake.adapters.rate_limits import MemoryRateLimiter
from services.intake.application.ports import Partner
from services.intake.application.submit_referral import SubmitReferral
from services.intake.domain.admission import Admission
from services.intake.entrypoints.http import create_app
from tests.support.fakes import FakeBacklog, FakePartners, FakeReferralStore, FakeStatuses, FixedClock, IntakeStore
from tests.support.referrals import referral_body

SCHOOL, GP = Partner("school", "School", "2A"), Partner("gp", "Surgery", "3A")
KEYS = {"school-key": SCHOOL, "gp-key": GP}
ADMISSION = Admission(max_backlog=50, retry_after_seconds=7)


@pytest.fixture
def store():
    return IntakeStore()


@pytest.fixture
def client(store):
    return make_client(store)


def make_client(store, rate_limit="1000/minute", backlog=None):
    clock = FixedClock()
    app = create_app(submit=SubmitReferral(store=FakeReferralStore(store), clock=clock,
                                           backlog=backlog or FakeBacklog(), admission=ADMISSION),
                     partners=FakePartners(**KEYS), statuses=FakeStatuses(store), clock=clock, admission=ADMISSION,
                     rate_limit=rate_limit, rate_limiter=MemoryRateLimiter(rate_limit))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake")


def headers(key="school-key", idem=None):
    return {"Authorization": f"Bearer {key}", "Idempotency-Key": idem or str(uuid.uuid4())}


async def post(client, body, **kw):
    return await client.post("/v1/referrals", json=body, headers=headers(**kw))


def errors(response) -> dict:
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == response.status_code
    return {e["field"]: e["problem"] for e in body.get("errors", [])}


@pytest.mark.parametrize("change, field, problem", [
    ({"child": {"nhs_number": "9434765918"}}, "child.nhs_number",
     "must be 10 digits whose last digit is the NHS mod-11 check digit"),
    ({"child": {"date_of_birth": "1989-12-31"}}, "child.date_of_birth", "must not be before 1990-01-01"),
    ({"child": {"date_of_birth": "2026-11-21"}}, "child.date_of_birth", "must not be in the future"),
    ({"child": {"date_of_birth": "04/05/2018"}}, "child.date_of_birth",
     "must be a date in ISO 8601 form (YYYY-MM-DD)"),
    ({"child": {"unborn": True, "date_of_birth": None}}, "child",
     "expected_due_date is required when unborn is true"),
    ({"child": {"unborn": True, "expected_due_date": "2027-01-10"}}, "child",
     "date_of_birth must be absent when unborn is true"),
    ({"child": {"unborn": True, "date_of_birth": None, "expected_due_date": "2027-11-01"}},
     "child.expected_due_date", "must be within the next 10 months (or at most 3 weeks past)"),
    ({"referrer": {"source": "11"}}, "referrer.source", "is not one of the allowed codes"),
    ({"concerns": ["bad_vibes"]}, "concerns.0", "is not one of the allowed codes"),
    ({"concern_summary": "x" * 20_001}, "concern_summary", "is too long"),
    ({"concern_summary": ""}, "concern_summary", "must not be empty"),
    ({"favourite_colour": "blue"}, "favourite_colour", "is not a field of the v1 referral contract"),
    ({"child": {"middle_name": "B"}}, "child.middle_name", "is not a field of the v1 referral contract"),
    ({"immediate_danger": "maybe"}, "immediate_danger", "must be true or false"),
    ({"consent": {"status": "given", "given_by": None}}, "consent", "given_by is required when status is given"),
])
async def test_each_validation_rule_names_the_field(client, change, field, problem):
    response = await post(client, referral_body(**change))
    assert response.status_code == 422
    assert errors(response)[field] == problem


async def test_a_missing_required_field_and_header(client):
    body = referral_body()
    del body["consent"]
    response = await client.post("/v1/referrals", json=body, headers={"Authorization": "Bearer school-key"})
    assert errors(response) == {"consent": "is required", "Idempotency-Key header": "is required"}


async def test_rejected_values_are_never_echoed(client):
    response = await post(client, referral_body(child={"nhs_number": "SECRET-1234"}))
    assert "SECRET-1234" not in response.text


async def test_accepted_referral_answers_202_with_location_and_stages_one_event(client, store):
    response = await post(client, referral_body())
    assert response.status_code == 202
    rid = response.json()["referral_id"]
    assert response.headers["Location"] == response.json()["status_url"] == f"/v1/referrals/{rid}"
    [(event, topic)] = store.outbox
    assert (str(event.referral_id), topic, event.event_type) == (rid, "referrals.received", "ReferralReceived")


async def test_idempotent_retry_conflict_and_status_scoping(client, store):
    body = referral_body()
    first = await post(client, body, idem="k1")
    retry = await post(client, body, idem="k1")
    conflict = await post(client, {**body, "concerns": ["housing"]}, idem="k1")
    assert retry.json()["referral_id"] == first.json()["referral_id"] and len(store.referrals) == 1
    assert conflict.status_code == 409 and errors(conflict) == {}
    rid = first.json()["referral_id"]
    mine = await client.get(f"/v1/referrals/{rid}", headers=headers())
    theirs = await client.get(f"/v1/referrals/{rid}", headers=headers("gp-key"))
    assert mine.status_code == 200 and mine.json()["status"] == "received"
    assert "concern_summary" not in mine.text and "Amelia" not in mine.text
    assert theirs.status_code == 404 and theirs.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("auth", [None, "Bearer nope", "Basic school-key", "school-key"])
async def test_missing_or_wrong_key_is_401(client, auth):
    response = await client.post("/v1/referrals", json=referral_body(),
                                 headers={"Idempotency-Key": "k"} | ({"Authorization": auth} if auth else {}))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    errors(response)


async def test_wrong_media_type_is_415_and_oversized_body_is_413(client):
    as_form = await client.post("/v1/referrals", content=b"a=b", headers=headers() | {
        "Content-Type": "application/x-www-form-urlencoded"})
    assert as_form.status_code == 415
    errors(as_form)
    huge = json.dumps(referral_body(household=[{"relationship": "x" * 100}] * 3000)).encode()
    too_big = await client.post("/v1/referrals", content=huge, headers=headers() | {"Content-Type": "application/json"})
    assert too_big.status_code == 413
    errors(too_big)


async def test_chunked_oversized_body_is_413_too(client):
    async def chunks():
        for _ in range(300):
            yield b" " * 1024

    response = await client.post("/v1/referrals", content=chunks(), headers=headers() | {
        "Content-Type": "application/json"})
    assert response.status_code == 413


async def test_rate_limit_is_per_partner_with_retry_after(store):
    client = make_client(store, rate_limit="2/minute")
    assert [(await post(client, referral_body())).status_code for _ in range(3)] == [202, 202, 429]
    limited = await post(client, referral_body())
    assert int(limited.headers["Retry-After"]) >= 1
    errors(limited)
    assert (await post(client, referral_body(), key="gp-key")).status_code == 202


async def test_at_capacity_a_routine_referral_gets_429_with_retry_after_and_nothing_is_stored(store):
    backlog = FakeBacklog(untriaged=50)
    client = make_client(store, backlog=backlog)
    busy = await post(client, referral_body())
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "7"
    assert "at capacity" in busy.json()["title"] and store.referrals == {}
    urgent = await post(client, referral_body(immediate_danger=True))
    assert urgent.status_code == 202 and len(store.referrals) == 1
    backlog.untriaged = 49
    assert (await post(client, referral_body())).status_code == 202


@pytest.mark.parametrize("outage", [
    OperationalError("INSERT", {}, ConnectionRefusedError()),
    DBAPIError("INSERT", {}, pg.CannotConnectNowError("the database system is starting up")),  # was a 500
    DBAPIError("INSERT", {}, pg.AdminShutdownError("terminating connection due to administrator command")),
    DBAPIError("INSERT", {}, pg.TooManyConnectionsError("sorry, too many clients already")),
])
async def test_database_down_is_503_with_retry_after_never_500(store, client, outage):
    store.fail_with = outage
    response = await post(client, referral_body())
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert store.referrals == {}
    assert (await client.get("/health/ready")).status_code == 503
    assert (await client.get("/health/live")).status_code == 200


async def test_unknown_route_and_method_are_problems(client):
    assert errors(await client.get("/v2/referrals")) == {}
    response = await client.delete("/v1/referrals/x", headers=headers())
    assert response.status_code == 405


async def test_openapi_documents_examples_and_problem_responses(client):
    spec = (await client.get("/openapi.json")).json()
    post_op = spec["paths"]["/v1/referrals"]["post"]
    assert set(post_op["requestBody"]["content"]["application/json"]["examples"]) == {
        "safeguarding", "early_help", "unborn"}
    assert {"202", "401", "409", "413", "415", "422", "429", "503"} == set(post_op["responses"])
    assert "Location" in post_op["responses"]["202"]["headers"]
    assert {"Retry-After"} == set(post_op["responses"]["429"]["headers"]) == set(post_op["responses"]["503"]["headers"])
    get_op = spec["paths"]["/v1/referrals/{referral_id}"]["get"]
    assert {"200", "401", "404", "422", "429", "503"} == set(get_op["responses"])  # only codes it can return
    assert spec["components"]["securitySchemes"]["PartnerKey"] == {
        "type": "http", "scheme": "bearer", "description": "The partner key the local authority issued to your "
                                                           "organisation"}  # the Authorize button
    assert post_op["security"] == [{"PartnerKey": []}]


async def test_the_docs_page_serves_its_own_assets_not_a_cdn(client):
    page = (await client.get("/docs")).text
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    script = next(part.split('"')[1] for part in page.split("src=")[1:] if "swagger-ui-bundle" in part)
    assert (await client.get(script)).status_code == 200


async def test_a_body_that_is_not_json_names_the_body_not_field_0(client):
    response = await client.post("/v1/referrals", content=b"referral please", headers=headers() | {
        "Content-Type": "application/json"})
    assert response.status_code == 422 and set(errors(response)) == {"body"}


async def test_an_empty_object_names_every_missing_field_in_the_detail_too(client):
    response = await post(client, {})
    missing = [f for f, problem in errors(response).items() if problem == "is required"]
    assert len(missing) >= 6
    assert all(f"{field}: is required" in response.json()["detail"] for field in missing)


@pytest.mark.parametrize("text", ["Amy\x00", "\ud800"])
async def test_text_postgres_cannot_store_is_a_422_not_a_server_error(client, text):
    body = json.dumps(referral_body(child={"given_name": text}), ensure_ascii=True).encode()
    response = await client.post("/v1/referrals", content=body, headers=headers() | {
        "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "child.given_name" in errors(response)
