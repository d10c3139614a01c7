"""Ongoing WMS as the daemon uses it: Ongoing JSON in and out, no mapping here.

Upserts are PUTs keyed by the business number (article, order, purchase order number), so the
HTTP layer may repeat them after a lost answer. Reporting back (``reportedNumberOfItems``, setReported)
sets absolute values, so it is safe to repeat as well. List queries carry ``goodsOwnerId``; upserts
carry it in the body. Times are sent with an explicit UTC offset, as Ongoing recommends.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import AsyncIterator

from daemon.connectors.ongoing.pagination import Record, iter_by_id
from daemon.http.client import ApiClient
from daemon.http.failures import unexpected_answer
from daemon.http.response import ApiResponse


class OngoingClient:
    """One goods owner of one Ongoing warehouse."""

    def __init__(self, api: ApiClient, goods_owner_id: int) -> None:
        self.api = api
        self.goods_owner_id = goods_owner_id

    # -- upserts -----------------------------------------------------------------------------------

    async def upsert_article(self, article: Record) -> int:
        """The article's ``articleSystemId``."""
        return await self._put("/articles", article, "articleSystemId")

    async def upsert_order(self, order: Record) -> int:
        """The order's ``orderId``; refused (4xx) once the warehouse has started on it."""
        return await self._put("/orders", order, "orderId")

    async def upsert_purchase_order(self, purchase_order: Record) -> int:
        return await self._put("/purchaseOrders", purchase_order, "purchaseOrderId")

    # -- orders ------------------------------------------------------------------------------------

    async def find_order(self, number: str) -> Record | None:
        found = await self._list("/orders", {"orderNumber": number})
        return found[0] if found else None

    async def get_order(self, order_id: int) -> Record:
        return self._object(await self.api.request("GET", f"/orders/{int(order_id)}"))

    def orders_to_report(self, status_from: int, status_to: int) -> AsyncIterator[list[Record]]:
        """Pages of orders in the status range with a line whose reported < picked."""
        params = {"orderStatusFrom": status_from, "orderStatusTo": status_to, "onlyOrdersWithOrderLinesToReport": True}
        return self._pages("/orders", params, "orderIdFrom", "maxOrdersToGet", lambda o: o["orderInfo"]["orderId"])

    async def report_order_line(self, order_id: int, line_id: int, reported: int | float) -> None:
        path = f"/orders/{int(order_id)}/lines/{int(line_id)}/reportedNumberOfItems"
        await self.api.request("PATCH", path, json={"reportedNumberOfItems": reported})

    async def order_statuses(self) -> list[Record]:
        return self._object(await self.api.request("GET", "/orders/statuses")).get("orderStatuses") or []

    # -- purchase orders ---------------------------------------------------------------------------

    async def find_purchase_order(self, number: str) -> Record | None:
        found = await self._list("/purchaseOrders", {"purchaseOrderNumber": number})
        return found[0] if found else None

    async def get_purchase_order(self, purchase_order_id: int) -> Record:
        return self._object(await self.api.request("GET", f"/purchaseOrders/{int(purchase_order_id)}"))

    def purchase_orders_to_report(self) -> AsyncIterator[list[Record]]:
        """Pages of purchase orders with a line whose reported differs from received."""
        return self._pages(
            "/purchaseOrders",
            {"onlyPurchaseOrdersWithOrderLinesToReport": True},
            "purchaseOrderIdFrom",
            "maxPurchaseOrdersToGet",
            lambda p: p["purchaseOrderInfo"]["purchaseOrderId"],
        )

    async def report_purchase_order_line(self, purchase_order_id: int, line_id: int, reported: int | float) -> None:
        path = f"/purchaseOrders/{int(purchase_order_id)}/lines/{int(line_id)}/reportedNumberOfItems"
        await self.api.request("PATCH", path, json={"reportedNumberOfItems": reported})

    # -- inventory ---------------------------------------------------------------------------------

    def articles(self) -> AsyncIterator[list[Record]]:
        """Every article with its ``inventoryInfo``."""
        return self._pages("/articles", {}, "articleSystemIdFrom", "maxArticlesToGet", lambda a: a["articleSystemId"])

    async def unreported_adjustments(self, start: datetime, end: datetime) -> list[Record]:
        """``[{article, inventoryAdjustments: [...]}]`` made in the window and not yet set reported.
        The endpoint has no pagination, so callers keep the window short."""
        params = {"from": _instant(start), "toTime": _instant(end), "isReported": False}
        return await self._list("/inventoryAdjustments", params)

    async def set_adjustment_reported(self, inventory_id: int, article_system_id: int) -> None:
        path = f"/inventoryAdjustments/{int(inventory_id)}/articles/{int(article_system_id)}/setReported"
        await self.api.request("PATCH", path)

    # -- plumbing ----------------------------------------------------------------------------------

    async def _put(self, path: str, body: Record, id_key: str) -> int:
        response = await self.api.request("PUT", path, json={**body, "goodsOwnerId": self.goods_owner_id})
        answer = self._object(response)
        if not isinstance(answer.get(id_key), int):
            raise unexpected_answer(self.api.connection, response, id_key)
        return answer[id_key]

    async def _list(self, path: str, params: Record) -> list[Record]:
        response = await self.api.request("GET", path, params={**params, "goodsOwnerId": self.goods_owner_id})
        if not isinstance(response.body, list):
            raise unexpected_answer(self.api.connection, response, "JSON array")
        return response.body

    def _pages(self, path: str, params: Record, id_from: str, max_to_get: str, id_of) -> AsyncIterator[list[Record]]:
        params = {**params, "goodsOwnerId": self.goods_owner_id}
        return iter_by_id(self.api, path, params, id_from=id_from, max_to_get=max_to_get, id_of=id_of)

    def _object(self, response: ApiResponse) -> Record:
        if not isinstance(response.body, dict):
            raise unexpected_answer(self.api.connection, response, "JSON object")
        return response.body


def _instant(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="milliseconds")
