"""``POST /{resource}/batch`` (``WC_REST_Controller::batch_items``): one limit for all three lists,
then every item on its own, so a batch can partly succeed and each answer must be checked.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from .wire import RestError

BATCH_LIMIT = 100

Handler = Callable[[Any], Awaitable[dict[str, Any]]]


def _error_item(item_id: Any, error: RestError) -> dict[str, Any]:
    return {"id": item_id, "error": {"code": error.code, "message": error.message, "data": {"status": error.status, **error.data}}}


async def run_batch(body: dict[str, Any], *, create: Handler, update: Handler, delete: Handler) -> dict[str, list]:
    lists = {name: body.get(name) if isinstance(body.get(name), list) else [] for name in ("create", "update", "delete")}
    if sum(len(items) for items in lists.values()) > BATCH_LIMIT:
        raise RestError(
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
            413,
        )
    answer: dict[str, list] = {}
    for name, handler in (("create", create), ("update", update), ("delete", delete)):
        if not lists[name]:
            continue
        results = []
        for item in lists[name]:
            if name == "delete":
                item_id = int(item) if str(item).lstrip("-").isdigit() else 0
                if item_id == 0:
                    continue  # batch_items skips ids that cast to 0
                item = item_id
            try:
                results.append(await handler(item))
            except RestError as error:
                item_id = 0 if name == "create" else (item if name == "delete" else item.get("id"))
                results.append(_error_item(item_id, error))
        answer[name] = results
    return answer
