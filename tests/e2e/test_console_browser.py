"""The MASH console in headless Chromium (Debian's, driven by Playwright): a practitioner signs in, opens
the red referral, claims it and closes it with an outcome; a manager overrides a route with a reason.
Screenshots are saved in test-artifacts/ for a person to look at."""

import re
import uuid

import pytest
from playwright.async_api import async_playwright, expect

from shared.auth.tokens import AuthSettings, Tokens
from tests.support.infra import artefacts_dir
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra
TOKENS = Tokens(AuthSettings())
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
async def system(endpoints):
    running = await RunningSystem(endpoints).start()
    yield running
    await running.stop()


@pytest.fixture
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def post(system, body) -> str:
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    rid = response.json()["referral_id"]
    await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT 1 FROM casework.work_items WHERE referral_id = "
                                 "$1", uuid.UUID(rid)), what="work item")
    return rid


async def sign_in(page, system, token):
    await page.goto(f"{system.staff_url}/console")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Your token").fill(token)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Your queues")).to_be_visible()


async def test_practitioner_claims_and_closes_the_red_referral(system, browser):
    red = await post(system, referral_body(immediate_danger=True, concerns=["physical_abuse", "domestic_abuse_parent"],
                                           consent={"status": "not_sought", "given_by": None,
                                                    "reason_not_sought": "Seeking consent may increase risk"}))
    await post(system, referral_body(significant_harm_suspected=True, concerns=["neglect"]))
    shots = artefacts_dir()
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await sign_in(page, system, TOKENS.issue("pat", ["practitioner"], ["statutory_safeguarding"]))
    await page.screenshot(path=shots / "console-1-queues.png", full_page=True)

    await page.get_by_role("link", name="Statutory safeguarding (MASH social work)").click()
    await page.locator("a[href*='/console/items/']").first.wait_for()
    await page.screenshot(path=shots / "console-2-queue.png", full_page=True)
    await page.goto(f"{system.staff_url}/referrals/{red}")  # the link a notification carries
    await expect(page.get_by_role("heading", name=f"red Referral {red}")).to_be_visible()
    await expect(page.get_by_text("Level 4: the referrer believes the child is in danger now; abuse or "
                                  "exploitation is reported (physical abuse).")).to_be_visible()
    await expect(page.get_by_text(re.compile(r"Amelia[a-z]{8} Testchild[a-z]{8}")).first).to_be_visible()
    # words people use, not codes (issue: the console showed physical_abuse, 2A, seed file names)
    await expect(page.get_by_text("Physical abuse, Domestic abuse (parent or carer)")).to_be_visible()
    await expect(page.get_by_text("St Mary's Primary (School)")).to_be_visible()
    await expect(page.get_by_text("Not sought: Seeking consent may increase risk")).to_be_visible()
    await expect(page.get_by_text("Northamptonshire Early Help Strategy 2020 Level 4").first).to_be_visible()
    assert "physical_abuse" not in await page.content() and "003_56ebd3a87872184e" not in await page.content()

    await page.get_by_role("button", name="Claim").click()
    await expect(page.get_by_role("status")).to_have_text("Claimed")
    await page.get_by_role("button", name="Close with this outcome").click()  # nothing chosen: errors shown
    await expect(page.get_by_role("alert")).to_contain_text("Outcome choose one of the listed outcomes")
    await page.screenshot(path=shots / "console-3-validation.png", full_page=True)
    await page.get_by_label("Outcome").select_option("strategy_discussion")
    await page.get_by_label("Note for the record").fill("Strategy discussion arranged with police for 15:00.")
    await page.get_by_role("button", name="Close with this outcome").click()
    await expect(page.get_by_role("status")).to_have_text("Closed")
    await expect(page.get_by_text("Strategy discussion: Strategy discussion arranged")).to_be_visible()
    await page.screenshot(path=shots / "console-4-closed.png", full_page=True)
    assert "no-store" in (await page.request.get(page.url)).headers["cache-control"]

    rows = await fetch(system.endpoints.database_url, "SELECT state, outcome, assignee FROM casework.work_items WHERE "
                                                      "referral_id = $1", uuid.UUID(red))
    assert (rows[0]["state"], rows[0]["outcome"], rows[0]["assignee"]) == ("closed", "strategy_discussion", "pat")


async def test_manager_overrides_a_route_with_a_reason(system, browser):
    rid = await post(system, referral_body())
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await sign_in(page, system, TOKENS.issue("mo", ["manager"]))
    await page.goto(f"{system.staff_url}/referrals/{rid}")
    await page.get_by_label("Override the route to").select_option("statutory_safeguarding")
    await page.get_by_role("button", name="Override route").click()
    await expect(page.get_by_role("alert")).to_contain_text("Reason is required")
    await page.get_by_label("Reason (the original decision stays on record)").fill("Sibling disclosed abuse today.")
    await page.get_by_role("button", name="Override route").click()
    await expect(page.get_by_role("status")).to_have_text("Route overridden")
    moved = "from Early Help to Statutory safeguarding (MASH social work). Sibling"
    await expect(page.get_by_text(moved)).to_be_visible()
    await expect(page.get_by_text("R5 Early Help (Levels 2-3)")).to_be_visible()  # the original decision stays
    await expect(page.get_by_role("cell", name="Route overridden by a manager")).to_be_visible()
    await page.screenshot(path=artefacts_dir() / "console-5-override.png", full_page=True)

    keyboard = await browser.new_page()
    await keyboard.goto(f"{system.staff_url}/console/sign-in")
    await keyboard.keyboard.press("Tab")
    focused = await keyboard.evaluate("document.activeElement.id")
    assert focused == "token"  # the form is reachable from the keyboard


async def test_a_page_on_another_origin_of_the_same_site_cannot_post_as_the_practitioner(system, browser):
    """Issue "Security and integrity" item 6: SameSite=Strict lets a same-site page on another port send the
    cookie; the console refuses any form not sent from its own origin. And every page carries its headers."""
    from tools.localinfra.processes import free_port

    rid = await post(system, referral_body())
    page = await browser.new_page()
    await sign_in(page, system, TOKENS.issue("pat", ["practitioner"], ["early_help"]))
    await page.goto(f"{system.staff_url}/referrals/{rid}")
    item_url = page.url
    headers = (await page.request.get(item_url)).headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"

    evil = f"http://127.0.0.1:{free_port()}/evil"  # same site (host), another origin (port)
    await page.route(evil, lambda route: route.fulfill(content_type="text/html", body=(
        f'<form method="post" action="{item_url.replace("/console/items/", "/console/items/")}/feedback">'
        '<input name="note" value="posted by another page"><button>Send</button></form>')))
    await page.goto(evil)
    async with page.expect_response(lambda r: r.url.endswith("/feedback")) as answer:
        await page.get_by_role("button", name="Send").click()
    assert (await answer.value).status == 403
    stored = await fetch(system.endpoints.database_url, "SELECT count(*) AS n FROM casework.timeline t JOIN "
                         "casework.work_items w ON w.id = t.work_item_id WHERE w.referral_id = $1 AND "
                         "t.event_type = 'ReferrerFeedbackSent'", uuid.UUID(rid))
    assert stored[0]["n"] == 0


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(system, browser):
    """Issue "Security and integrity" item 6: sign-out only dropped the cookie, and the token in it stayed good
    until it expired. The cookie now names a server-side session, which sign-out deletes."""
    page = await browser.new_page()
    await sign_in(page, system, TOKENS.issue("pat", ["practitioner"], ["early_help"]))
    [cookie] = [c for c in await page.context.cookies() if c["name"] == "frontdoor_session"]
    assert cookie["value"].count(".") < 2  # an opaque session id, not the signed token
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    thief = await browser.new_context()
    await thief.add_cookies([cookie])
    stolen = await thief.new_page()
    await stolen.goto(f"{system.staff_url}/console/queues")
    await expect(stolen.get_by_role("heading", name="Sign in")).to_be_visible()  # the copy is worthless now
    await thief.close()
