"""Signature checks and request classification, against a hand-written HMAC (RFC 2104), not hmac.new."""

import base64
import hashlib

import pytest

from daemon.config.model import ShopConfig
from daemon.webhooks.deliveries import (
    SHOPIFY,
    WOOCOMMERCE,
    Delivery,
    Ping,
    Refusal,
    classify_rackbeat,
    derived_delivery_id,
)
from daemon.webhooks.verify import body_signature, is_woo_ping, signature_valid, token_among, token_valid

SECRET = "shpss_0123456789abcdef"


def rfc2104_signature(key: str, message: bytes) -> str:
    block = 64
    k = key.encode()
    k = hashlib.sha256(k).digest() if len(k) > block else k
    k = k.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in k) + message).digest()
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in k) + inner).digest()
    return base64.b64encode(outer).decode()


def test_reference_implementation_matches_rfc4231_vector():
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert base64.b64decode(rfc2104_signature("Jefe", b"what do ya want for nothing?")).hex() == expected


@pytest.mark.parametrize("body", [b"", b'{"id": 1}', "{\"name\": \"Bl\u00e5b\u00e6r\"}".encode(), b"\xff\x00" * 500])
def test_body_signature_matches_reference(body):
    assert body_signature(SECRET, body) == rfc2104_signature(SECRET, body)
    assert signature_valid(SECRET, body, rfc2104_signature(SECRET, body))


@pytest.mark.parametrize("given", [None, "", "garbage", "ÿ-non-ascii", rfc2104_signature("other", b"{}")])
def test_wrong_or_missing_signature_is_invalid(given):
    assert not signature_valid(SECRET, b"{}", given)


def test_signature_covers_every_byte():
    signature = rfc2104_signature(SECRET, b'{"total":"10.00"}')
    assert not signature_valid(SECRET, b'{"total":"10.00"} ', signature)


def test_token():
    assert token_valid("t" * 32, "t" * 32)
    assert not token_valid("t" * 32, "t" * 31 + "u")
    assert not token_valid("t" * 32, None)
    assert not token_valid("t" * 32, "")
    assert token_among({"a" * 32, "t" * 32}, "t" * 32)
    assert not token_among({"a" * 32, "t" * 32}, "u" * 32)
    assert not token_among(set(), "t" * 32) and not token_among({"t" * 32}, None)


@pytest.mark.parametrize(
    "body, ping", [(b"webhook_id=12", True), (b"webhook_id=", False), (b"webhook_id=12&x=1", False), (b"{}", False)]
)
def test_woo_ping_shape(body, ping):
    assert is_woo_ping(body) is ping


def shop(kind: str, shop_id: str = "s1") -> ShopConfig:
    credentials = {"access_token": "a"} if kind == "shopify" else {"consumer_key": "k", "consumer_secret": "c"}
    return ShopConfig(id=shop_id, type=kind, api_url="https://x", webhook_secret=SECRET, **credentials)


def shopify_headers(body: bytes, **extra: str) -> dict[str, str]:
    return {
        "X-Shopify-Hmac-Sha256": rfc2104_signature(SECRET, body),
        "X-Shopify-Topic": "orders/create",
        "X-Shopify-Webhook-Id": "wh-1",
        "X-Shopify-API-Version": "2025-10",
        **extra,
    }


def test_shopify_delivery_keeps_useful_headers_but_not_the_signature():
    outcome = SHOPIFY.classify(shop("shopify"), shopify_headers(b"{}"), b"{}")
    assert outcome == Delivery(
        source="shopify",
        connection="s1",
        delivery_id="wh-1",
        topic="orders/create",
        headers={
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-API-Version": "2025-10",
            "X-Shopify-Webhook-Id": "wh-1",
        },
        body=b"{}",
    )


def test_shop_of_the_other_type_is_unknown():
    assert SHOPIFY.classify(shop("woocommerce"), shopify_headers(b"{}"), b"{}") == Refusal(
        404, "no shopify shop with this id"
    )
    assert SHOPIFY.classify(None, {}, b"{}").status == 404


def test_shopify_refusals_name_the_reason():
    headers = shopify_headers(b"{}")
    assert SHOPIFY.classify(shop("shopify"), headers, b"{ }") == Refusal(401, "bad signature")
    del headers["X-Shopify-Hmac-Sha256"]
    assert SHOPIFY.classify(shop("shopify"), headers, b"{}") == Refusal(401, "missing signature")


@pytest.mark.parametrize(
    "body, problem",
    [(b"[1, 2]", "body is JSON but not an object (list)"), (b"<html>", "body is not JSON: Expecting value")],
)
def test_signed_but_unusable_body_is_a_delivery_with_a_problem(body, problem):
    outcome = SHOPIFY.classify(shop("shopify"), shopify_headers(body), body)
    assert isinstance(outcome, Delivery) and outcome.problem.startswith(problem)


def test_woo_unsigned_ping_only_without_signature():
    woo = shop("woocommerce")
    assert WOOCOMMERCE.classify(woo, {}, b"webhook_id=7") == Ping()
    assert SHOPIFY.classify(shop("shopify"), {}, b"webhook_id=7") == Refusal(401, "missing signature")
    bad = {"X-WC-Webhook-Signature": "nope"}
    assert WOOCOMMERCE.classify(woo, bad, b"webhook_id=7") == Refusal(401, "bad signature")


def test_missing_delivery_id_is_derived_from_the_body():
    headers = shopify_headers(b"{}")
    del headers["X-Shopify-Webhook-Id"]
    first = SHOPIFY.classify(shop("shopify"), headers, b"{}")
    again = SHOPIFY.classify(shop("shopify"), headers, b"{}")
    assert first.delivery_id == again.delivery_id == derived_delivery_id("orders/create", None, b"{}")


def test_rackbeat_delivery_id_from_event_key_and_body():
    body = b'{"key": 42, "key_name": "id", "event": "inventory.changed", "data": {}}'
    outcome = classify_rackbeat({"tok"}, {"Rackbeat-Webhook-Token": "tok", "Rackbeat-Account-Id": "9"}, body)
    assert outcome.topic == "inventory.changed" and outcome.connection == "rackbeat"
    assert outcome.delivery_id == f"inventory.changed:42:{hashlib.sha256(body).hexdigest()[:32]}"
    assert outcome.headers == {"Rackbeat-Account-Id": "9"} and outcome.problem is None
    other = classify_rackbeat({"tok"}, {"Rackbeat-Webhook-Token": "tok"}, body.replace(b"{}", b'{"a": 1}'))
    assert other.delivery_id != outcome.delivery_id


def test_rackbeat_refusals_and_problems():
    signed = {"Rackbeat-Webhook-Token": "tok"}
    assert classify_rackbeat({"tok"}, {"Rackbeat-Webhook-Token": "tak"}, b"{}") == Refusal(401, "bad token")
    assert classify_rackbeat({"tok"}, {}, b"{}") == Refusal(401, "missing token")
    assert classify_rackbeat(set(), signed, b"{}").status == 404
    assert classify_rackbeat({"tok"}, signed, b'{"key": 1}').problem == "body has no usable event"
    nul = classify_rackbeat({"tok"}, signed, b'{"key": "a\\u0000", "event": "x\\u0000"}')
    assert nul.problem == "body has no usable event" and "\x00" not in nul.delivery_id
