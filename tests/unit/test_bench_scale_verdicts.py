"""The scale figures' verdicts (`bench.scale.verdicts`): each target says met or NOT met from its own figure."""

from bench.scale import verdicts

AUDIT = {"rows": 1_000_000, "full_verify_seconds": 36.9, "full_ok": True, "incremental_verify_seconds": 0.05,
         "incremental_rows_read": 1_000}
PEOPLE = {"persons": 100_000, "p99_ms": 14.4}


def casework(**searches: float) -> dict:
    figures = {"work_items": 1_000_000, "tray_rows": 2_900, "tray_p99_ms": 29.4}
    for key in ("search", "surname_search", "two_letter_search"):
        figures |= {f"{key}_p50_ms": 5.0, f"{key}_p99_ms": searches.get(key, 20.0)}
    return figures


def test_every_search_is_judged_against_the_100_ms_target_on_its_own_p99():
    lines = verdicts({"audit": AUDIT, "people": PEOPLE, "casework": casework(two_letter_search=120.0)})
    searches = [line for line in lines if line.startswith("child search")]
    assert len(searches) == 3
    assert [("NOT met" in line) for line in searches] == [False, False, True]
    assert "by two letters" in searches[2] and "p99 120.0 ms" in searches[2]


def test_the_other_targets_keep_their_verdicts():
    lines = verdicts({"audit": {**AUDIT, "full_ok": False}, "people": {**PEOPLE, "p99_ms": 25.0},
                      "casework": casework()})
    assert "NOT met" in lines[0] and "NOT met" in lines[1] and "NOT met" not in lines[2]
