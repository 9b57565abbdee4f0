"""The code a rule set's decisions run, named by the rule set and hashed with it.

A rule set's data says which policy decides (`RuleSet.policy`); the policy is the predicates and the few
functions that turn their results into a decision. Its code hash is the SHA-256 of the source of every one of
those functions and of the engine and facts code they run in, so editing any line a version depends on changes
that version's code hash, which the registry pins for every published version (a test enforces it) and replay
checks: a past decision can never be re-run silently under different logic. New behaviour is a new policy.
"""

import hashlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.events.codes import QueueId


@dataclass(frozen=True)
class Policy:
    name: str
    # the policy's functions take the facts, thresholds and evaluations of `engine.decide` (frozen code, untyped)
    predicates: dict[str, Callable[..., Any]]
    rag: Callable[..., Any]
    level: Callable[..., Any]
    review_reasons: Callable[..., Any]
    secondary: Callable[..., Any]
    service_queues: frozenset[QueueId]  # queues a later match may add as parallel work
    after: tuple[Callable[..., Any], ...] = ()  # from policy 2028: the history rules, applied after the engine

    def functions(self) -> list[Callable[..., Any]]:
        return [*(self.predicates[k] for k in sorted(self.predicates)), self.rag, self.level, self.review_reasons,
                self.secondary, *self.after]

    def code_hash(self, shared_code: tuple[Any, ...] = ()) -> str:
        """Over `shared_code` (the engine and facts code every policy runs in) and this policy's functions."""
        digest = hashlib.sha256()
        for item in (*shared_code, *self.functions()):
            digest.update(f"{item.__module__}.{item.__qualname__}\n".encode())
            digest.update(inspect.getsource(item).encode())
        return digest.hexdigest()
