"""What an incoming webhook request is: a delivery to store, a refusal, or a ping to acknowledge.

Pure: the server reads the request and writes the inbox; this module only decides, from the
configuration, the headers and the raw body. Authenticity is checked before the body is parsed.
A signed body that is not a JSON object is still a :class:`Delivery` (with a ``problem``): it is kept
as ``rejected`` and acknowledged, so the shop does not disable the webhook over it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import AbstractSet, Any, Mapping

from daemon.config.model import ShopConfig
from daemon.webhooks.payload import PayloadError, parse_object
from daemon.webhooks.verify import is_woo_ping, signature_valid, token_among


@dataclass(frozen=True)
class Delivery:
    source: str
    connection: str
    delivery_id: str
    topic: str
    headers: dict[str, str]  # the useful ones only; never a signature or token
    body: bytes = field(repr=False)  # exactly as received and verified
    problem: str | None = None  # set when the body cannot be processed


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


@dataclass(frozen=True)
class Ping:
    """WooCommerce's unsigned creation ping: answer 200, store nothing."""


Outcome = Delivery | Refusal | Ping


def derived_delivery_id(topic: str, key: Any, body: bytes) -> str:
    """For senders without a delivery id: a redelivery of the same body maps to the same id."""
    key_text = "" if key is None else str(key).replace("\x00", "")  # PostgreSQL text cannot hold NUL
    return f"{topic}:{key_text}:{hashlib.sha256(body).hexdigest()[:32]}"


def _kept(headers: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {name: headers[name] for name in names if name in headers}


def _problem(body: bytes) -> str | None:
    try:
        parse_object(body)
    except PayloadError as exc:
        return str(exc)
    return None


class SignedShopSource:
    """A webshop type that signs each body with the shop's webhook secret (Shopify, WooCommerce)."""

    def __init__(
        self,
        kind: str,
        *,
        signature_header: str,
        topic_header: str,
        delivery_header: str,
        kept_headers: tuple[str, ...],
        accepts_unsigned_ping: bool = False,
    ) -> None:
        self.kind = kind  # equals ShopConfig.type and the inbox source
        self.signature_header = signature_header
        self.topic_header = topic_header
        self.delivery_header = delivery_header
        self.kept_headers = kept_headers
        self.accepts_unsigned_ping = accepts_unsigned_ping

    def classify(self, shop: ShopConfig | None, headers: Mapping[str, str], body: bytes) -> Outcome:
        if shop is None or shop.type != self.kind:
            return Refusal(404, f"no {self.kind} shop with this id")
        signature = headers.get(self.signature_header)
        if not signature:
            if self.accepts_unsigned_ping and is_woo_ping(body):
                return Ping()
            return Refusal(401, "missing signature")
        if not signature_valid(shop.webhook_secret.get_secret_value(), body, signature):
            return Refusal(401, "bad signature")
        topic = headers.get(self.topic_header, "")
        problem = _problem(body) if topic else f"missing {self.topic_header} header"
        return Delivery(
            source=self.kind,
            connection=shop.id,
            delivery_id=headers.get(self.delivery_header) or derived_delivery_id(topic, None, body),
            topic=topic,
            headers=_kept(headers, self.kept_headers),
            body=body,
            problem=problem,
        )


SHOPIFY = SignedShopSource(
    "shopify",
    signature_header="X-Shopify-Hmac-Sha256",
    topic_header="X-Shopify-Topic",
    delivery_header="X-Shopify-Webhook-Id",
    kept_headers=(
        "X-Shopify-Topic",
        "X-Shopify-Shop-Domain",
        "X-Shopify-API-Version",
        "X-Shopify-Webhook-Id",
        "X-Shopify-Event-Id",
        "X-Shopify-Triggered-At",
        "X-Shopify-Name",
    ),
)

WOOCOMMERCE = SignedShopSource(
    "woocommerce",
    signature_header="X-WC-Webhook-Signature",
    topic_header="X-WC-Webhook-Topic",
    delivery_header="X-WC-Webhook-Delivery-ID",
    kept_headers=(
        "X-WC-Webhook-Topic",
        "X-WC-Webhook-Source",
        "X-WC-Webhook-Resource",
        "X-WC-Webhook-Event",
        "X-WC-Webhook-ID",
        "X-WC-Webhook-Delivery-ID",
    ),
    accepts_unsigned_ping=True,
)

RACKBEAT_CONNECTION = "rackbeat"
RACKBEAT_TOKEN_HEADER = "Rackbeat-Webhook-Token"
RACKBEAT_EVENT_HEADER = "Rackbeat-Webhook-Event"


def classify_rackbeat(expected_tokens: AbstractSet[str], headers: Mapping[str, str], body: bytes) -> Outcome:
    """Rackbeat: a static token per subscription, topic and key in the body, no delivery id (so one is derived)."""
    if not expected_tokens:
        return Refusal(404, "rackbeat webhooks are not configured (daemon.public_url or rackbeat.webhook_token)")
    given = headers.get(RACKBEAT_TOKEN_HEADER)
    if not token_among(expected_tokens, given):
        return Refusal(401, "bad token" if given else "missing token")
    topic, key, problem = headers.get(RACKBEAT_EVENT_HEADER, ""), None, None
    try:
        payload = parse_object(body)
    except PayloadError as exc:
        problem = str(exc)
    else:
        topic, key = payload.get("event") or topic, payload.get("key")
        if not isinstance(topic, str) or not topic or "\x00" in topic:
            topic, problem = "", "body has no usable event"
    return Delivery(
        source=RACKBEAT_CONNECTION,
        connection=RACKBEAT_CONNECTION,
        delivery_id=derived_delivery_id(topic, key, body),
        topic=topic,
        headers=_kept(headers, (RACKBEAT_EVENT_HEADER, "Rackbeat-Account-Id")),
        body=body,
        problem=problem,
    )


ONGOING_TOKEN_HEADER = "X-Auth-Token"
ONGOING_SOURCE = "ongoing"
ONGOING_ORDER_TOPIC = "order"


def classify_ongoing(expected_token: str | None, connection: str, headers: Mapping[str, str], body: bytes) -> Outcome:
    """Ongoing WMS: a static token set up by hand in Ongoing; its order events only wake the pollers early."""
    if not expected_token:
        return Refusal(404, "ongoing webhooks are not configured (ongoing.webhook_token)")
    given = headers.get(ONGOING_TOKEN_HEADER)
    if not token_among({expected_token}, given):
        return Refusal(401, "bad token" if given else "missing token")
    problem = None
    try:
        parse_object(body)
    except PayloadError as exc:
        problem = str(exc)
    return Delivery(
        source=ONGOING_SOURCE,
        connection=connection,
        delivery_id=derived_delivery_id(ONGOING_ORDER_TOPIC, None, body),
        topic=ONGOING_ORDER_TOPIC,
        headers={},
        body=body,
        problem=problem,
    )
