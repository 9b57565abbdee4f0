"""The bench's referrals (`bench.runner.referral_about_a_child`): valid under the contract, each child referred
twice in the same words, and children as varied as a real front door's, so the person index's blocking keys
hold a few candidates each (when every child was "Bench<letters> Child", one surname key held them all)."""

from collections import Counter

from shared.events.referral import ReferralV1
from services.people.domain.blocking import index_keys
from services.people.domain.records import record_of
from bench.runner import referral_about_a_child

CHILDREN = 2000


def test_each_child_is_referred_twice_in_the_same_words_and_every_body_is_a_valid_referral():
    bodies = [referral_about_a_child(i) for i in range(2 * CHILDREN)]

    assert all(bodies[2 * k] == bodies[2 * k + 1] for k in range(CHILDREN))
    assert len(set(bodies)) == CHILDREN
    for body in bodies[::2]:
        ReferralV1.model_validate_json(body)


def test_no_blocking_key_is_shared_by_more_than_a_handful_of_children():
    children = [ReferralV1.model_validate_json(referral_about_a_child(2 * k)).child for k in range(CHILDREN)]
    keys = Counter(key for child in children for key in index_keys(record_of(child)))

    assert max(keys.values()) <= 10
    assert sum(n * n for n in keys.values()) / sum(keys.values()) < 3  # candidates an average lookup meets
