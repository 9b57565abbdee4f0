"""Staff on the running system: tokens for each role the e2e tests act as, and a referral routed to a work
item they can act on."""

import uuid

import httpx

from shared.auth.tokens import AuthSettings, Tokens
from tests.support.observe import fetch, wait_for

TOKENS = Tokens(AuthSettings())
PAT = TOKENS.issue("pat", ["practitioner"], ["early_help"])
SAM = TOKENS.issue("sam", ["practitioner"], ["early_help"])
OLU = TOKENS.issue("olu", ["practitioner"], ["youth_offending"])
MO = TOKENS.issue("mo", ["manager"])
ADA = TOKENS.issue("ada", ["auditor"])


async def routed_item(system, body) -> tuple[str, str]:
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    rid = response.json()["referral_id"]
    rows = await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT id FROM casework.work_items WHERE "
                                        "primary_item_id IS NULL AND referral_id = $1", uuid.UUID(rid)),
                          what="work item")
    return rid, str(rows[0]["id"])


def staff(system, token) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=system.staff_url, headers={"Authorization": f"Bearer {token}"})
