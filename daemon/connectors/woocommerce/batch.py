"""``POST /{resource}/batch``: at most 100 create+update+delete items, and each item answers alone.

A batch can partly succeed (HTTP 200 with ``{"id", "error": {code, message, data}}`` items), so the
answer is split into what was done and what failed; the caller decides whether failures are fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from daemon.errors import TerminalApiError

BATCH_LIMIT = 100
ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class BatchFailure:
    action: str  # create | update | delete
    id: Any
    code: str
    message: str
    data: Mapping[str, Any]  # status, and e.g. resource_id of the product already holding a SKU


@dataclass(frozen=True)
class BatchResult:
    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    failures: list[BatchFailure] = field(default_factory=list)

    def raise_for_failures(self, connection: str) -> None:
        if self.failures:
            raise BatchItemErrors(connection, self.failures)


class BatchItemErrors(TerminalApiError):
    """Some items of a batch were refused; ``failures`` says which and why."""

    def __init__(self, connection: str, failures: list[BatchFailure]) -> None:
        text = "; ".join(f"{f.action} {f.id}: [{f.code}] {f.message}" for f in failures)
        super().__init__(f"{connection} batch: {len(failures)} item(s) refused: {text}", connection=connection)
        self.failures = failures


def batch_body(
    create: Sequence[Mapping[str, Any]], update: Sequence[Mapping[str, Any]], delete: Sequence[int]
) -> dict[str, Any]:
    total = len(create) + len(update) + len(delete)
    if total > BATCH_LIMIT:
        raise ValueError(f"{total} items in one WooCommerce batch; at most {BATCH_LIMIT}")
    lists = {
        "create": [dict(item) for item in create],
        "update": [dict(item) for item in update],
        "delete": list(delete),
    }
    return {name: items for name, items in lists.items() if items}


def batch_result(body: Mapping[str, Any]) -> BatchResult:
    done: dict[str, list[dict[str, Any]]] = {action: [] for action in ACTIONS}
    failures = []
    for action in ACTIONS:
        for item in body.get(action) or []:
            error = item.get("error") if isinstance(item, dict) else None
            if error:
                failures.append(
                    BatchFailure(
                        action,
                        item.get("id"),
                        str(error.get("code")),
                        str(error.get("message")),
                        error.get("data") or {},
                    )
                )
            else:
                done[action].append(item)
    return BatchResult(done["create"], done["update"], done["delete"], failures)
