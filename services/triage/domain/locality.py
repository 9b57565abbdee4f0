"""The postcode district (outward code) that routes a referral to a local team. The full postcode, which can
narrow a child down to a few houses, never leaves triage."""


def outward_code(postcode: str | None) -> str | None:
    """'NN1 1AA' -> 'NN1'; 'nn11aa' -> 'NN1'; None or too short -> None."""
    if not postcode:
        return None
    compact = postcode.replace(" ", "").upper()
    if len(compact) < 5:
        return None
    return compact[:-3]
