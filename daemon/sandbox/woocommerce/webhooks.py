"""Webhooks as ``WC_Webhook`` runs them: ping on creation, signed deliveries built at send time,
success = 200..302, no retries, and auto-disable once a failure arrives with ``failure_count`` already
above the limit (so with the default 5 the 7th consecutive failure disables).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from .dates import SiteTime, now_utc
from .delivery import DeliveryQueue, Hookshot, signature
from .wire import RestError, invalid_params, php_json

RESOURCES = ("coupon", "customer", "order", "product")
EVENTS = ("created", "updated", "deleted", "restored")
STATUSES = ("active", "paused", "disabled")
TOPIC_HOOKS = {
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post"],
    "order.restored": ["untrashed_post"],
    "product.created": ["woocommerce_process_product_meta", "woocommerce_new_product",
                        "woocommerce_new_product_variation"],
    "product.updated": ["woocommerce_process_product_meta", "woocommerce_update_product",
                        "woocommerce_update_product_variation"],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
}

PayloadBuilder = Callable[[str, int], Any]  # (resource, id) -> the GET /wc/v3/{resource}s/{id} JSON


def valid_topic(topic: str) -> bool:
    """``wc_is_webhook_valid_topic``."""
    if topic.startswith("action."):
        return len(topic) > len("action.")
    resource, _, event = topic.partition(".")
    return resource in RESOURCES and event in EVENTS


@dataclass
class Webhook:
    id: int
    name: str
    status: str
    topic: str
    delivery_url: str
    secret: str
    date_created: datetime
    date_modified: datetime
    failure_count: int = 0
    pending_delivery: bool = True

    @property
    def resource(self) -> str:
        return self.topic.split(".", 1)[0]

    @property
    def event(self) -> str:
        return self.topic.split(".", 1)[1] if "." in self.topic else ""


class WebhookService:
    """One site's webhooks: CRUD rules, queueing on store events, delivery and failure accounting."""

    def __init__(
        self,
        *,
        queue: DeliveryQueue,
        hookshot: Hookshot,
        payload: PayloadBuilder,
        home_url: Callable[[], str],
        time: SiteTime,
        default_secret: str,
        max_failures: int,
    ) -> None:
        self.queue = queue
        self.hookshot = hookshot
        self.payload = payload
        self.home_url = home_url
        self.time = time
        self.default_secret = default_secret
        self.max_failures = max_failures
        self.webhooks: dict[int, Webhook] = {}
        self.log: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._deliveries = itertools.count(1)

    def get(self, webhook_id: int) -> Webhook:
        webhook = self.webhooks.get(webhook_id)
        if webhook is None:
            raise RestError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404)
        return webhook

    # ---- CRUD --------------------------------------------------------------------------------

    @staticmethod
    def _validate(body: dict[str, Any], *, creating: bool) -> None:
        if creating or "topic" in body:
            if not isinstance(body.get("topic"), str) or not valid_topic(body["topic"].lower()):
                raise RestError("woocommerce_rest_shop_webhook_invalid_topic",
                                "Webhook topic is required and must be valid.", 400)
        if creating or "delivery_url" in body:
            url = body.get("delivery_url")
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise RestError("woocommerce_rest_shop_webhook_invalid_delivery_url",
                                "Webhook delivery URL must be a valid URL starting with http:// or https://.", 400)
        if "status" in body and body["status"] not in STATUSES:
            raise invalid_params({"status": f"status is not one of {', '.join(STATUSES)}."})

    async def create(self, body: dict[str, Any]) -> Webhook:
        """``POST /webhooks``: saved, then pinged synchronously (the answer does not change the 201)."""
        self._validate(body, creating=True)
        now = now_utc()
        webhook = Webhook(
            id=next(self._ids),
            name=body.get("name") or f"Webhook created on {self.time.local(now):%b %d, %Y @ %I:%M %p}",
            status=body.get("status", "active"),
            topic=body["topic"].lower(),
            delivery_url=body["delivery_url"],
            secret=body.get("secret") or self.default_secret,
            date_created=now,
            date_modified=now,
        )
        self.webhooks[webhook.id] = webhook
        await self.ping(webhook)
        return webhook

    async def update(self, webhook: Webhook, body: dict[str, Any]) -> Webhook:
        """``PUT /webhooks/{id}``; becoming active with a pending first delivery pings again.

        [I] Re-activating does not reset ``failure_count``: WooCommerce only resets it on a successful delivery.
        """
        self._validate(body, creating=False)
        was_active = webhook.status == "active"
        for name in ("name", "status", "delivery_url", "secret"):
            if body.get(name) is not None:
                setattr(webhook, name, body[name])
        if "topic" in body:
            webhook.topic = body["topic"].lower()
        webhook.date_modified = now_utc()
        if webhook.status == "active" and not was_active and webhook.pending_delivery:
            await self.ping(webhook)
        return webhook

    def delete(self, webhook: Webhook, force: bool) -> Webhook:
        if not force:
            raise RestError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        del self.webhooks[webhook.id]
        return webhook

    def to_json(self, webhook: Webhook) -> dict[str, Any]:
        return {
            "id": webhook.id,
            "name": webhook.name,
            "status": webhook.status,
            "topic": webhook.topic,
            "resource": webhook.resource,
            "event": webhook.event,
            "hooks": TOPIC_HOOKS.get(webhook.topic, []),
            "delivery_url": webhook.delivery_url,
            **self.time.pair("date_created", webhook.date_created),
            **self.time.pair("date_modified", webhook.date_modified),
            "_links": {
                "self": [{"href": f"{self.home_url()}/wp-json/wc/v3/webhooks/{webhook.id}"}],
                "collection": [{"href": f"{self.home_url()}/wp-json/wc/v3/webhooks"}],
            },
        }

    # ---- delivery ----------------------------------------------------------------------------

    async def ping(self, webhook: Webhook) -> None:
        """``deliver_ping``: unsigned form-style body, only the User-Agent; only an exact 200 counts."""
        status, error = await self.hookshot.post(
            webhook.delivery_url, f"webhook_id={webhook.id}".encode(), {}, ping=True
        )
        success = status == 200
        if success:
            webhook.pending_delivery = False
        elif error is None:
            error = f"Error: Delivery URL returned response code: {status}"
        self.log.append({"kind": "ping", "webhook_id": webhook.id, "status": status, "success": success,
                         "error": error})

    def on_event(self, resource: str, event: str, resource_id: int) -> None:
        """A store event: queue one delivery per matching active webhook unless one is already pending."""
        topic = f"{resource}.{event}"
        for webhook in self.webhooks.values():
            if webhook.status == "active" and webhook.topic == topic:
                self.queue.enqueue(
                    (webhook.id, resource_id), lambda w=webhook, r=resource_id: self._deliver(w, r)
                )

    async def _deliver(self, webhook: Webhook, resource_id: int) -> None:
        if webhook.id not in self.webhooks:
            return  # [I] deleted while its delivery was queued
        payload = {"id": resource_id} if webhook.event == "deleted" else self.payload(webhook.resource, resource_id)
        body = php_json(payload)
        delivery_id = hashlib.md5(f"{webhook.id}-{next(self._deliveries)}".encode()).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": self.home_url() + "/",
            "X-WC-Webhook-Topic": webhook.topic,
            "X-WC-Webhook-Resource": webhook.resource,
            "X-WC-Webhook-Event": webhook.event,
            "X-WC-Webhook-Signature": signature(body, webhook.secret),
            "X-WC-Webhook-ID": str(webhook.id),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        }
        status, error = await self.hookshot.post(webhook.delivery_url, body, headers, ping=False)
        success = status is not None and 200 <= status < 303
        if success:
            webhook.failure_count = 0
        elif webhook.failure_count > self.max_failures:
            webhook.status = "disabled"
        else:
            webhook.failure_count += 1
        self.log.append({"kind": "delivery", "webhook_id": webhook.id, "delivery_id": delivery_id,
                         "topic": webhook.topic, "resource_id": resource_id, "status": status, "success": success,
                         "error": error, "body": body.decode()})
