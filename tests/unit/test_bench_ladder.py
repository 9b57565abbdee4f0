"""The bench halves the gap between the last rate sustained and the first not (bench/ladder.py), so a run that
fails 50/s after 25/s tries 37.5/s before calling 25/s its rate."""

from bench.ladder import midpoint


def test_the_gap_after_the_ladder_is_halved_to_the_half_referral():
    assert midpoint(25, 50) == 37.5
    assert midpoint(37.5, 50) == 44.0  # 43.75, to the half referral a second
    assert midpoint(75, 100) == 87.5


def test_halving_stops_within_a_tenth_of_the_sustained_rate():
    assert midpoint(44.0, 50) == 47.0
    assert midpoint(45.5, 50) is None  # 4.5 apart: under a tenth of 45.5


def test_nothing_to_halve_without_both_ends():
    assert midpoint(None, 1) is None  # not even 1/s sustained
    assert midpoint(1000, None) is None  # the whole ladder sustained
