"""Authentication of the WooCommerce emulator: query string, Basic, OAuth 1.0a, key permissions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote

import pytest

from daemon.sandbox.woocommerce import SiteSpec, WooEmulator, WooSeed
from daemon.sandbox.woocommerce.testing import running


def spec(permissions: str = "read_write") -> SiteSpec:
    return SiteSpec("shop", "ck_test", "cs_test", "whsec", seed=WooSeed(simple_skus=["A"]), key_permissions=permissions)


@pytest.fixture
async def client():
    async with running(WooEmulator([spec()])) as client:
        yield client


def enc(value: str) -> str:
    return quote(value, safe="~")


def oauth_header(method: str, url: str, query: dict[str, str], secret: str, *, nonce: str, timestamp: int | None = None,
                 signature: str | None = None) -> str:
    """An independent OAuth 1.0a one-legged signer, written from the WooCommerce docs."""
    oauth = {
        "oauth_consumer_key": "ck_test",
        "oauth_timestamp": str(timestamp if timestamp is not None else int(time.time())),
        "oauth_nonce": nonce,
        "oauth_signature_method": "HMAC-SHA1",
    }
    params = sorted({**query, **oauth}.items())
    base = "&".join([method, enc(url), enc("&".join(f"{enc(k)}={enc(v)}" for k, v in params))])
    digest = hmac.new(f"{secret}&".encode(), base.encode(), hashlib.sha1).digest()
    oauth["oauth_signature"] = signature or base64.b64encode(digest).decode()
    return "OAuth " + ", ".join(f'{k}="{enc(v)}"' for k, v in oauth.items())


async def get_with_header(client, header: str, query: dict[str, str]):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    async with client.session.get(url, params=query, headers={"Authorization": header}) as response:
        return response.status, await response.json()


async def test_query_string_and_basic_auth_are_accepted(client):
    assert (await client.api("GET", "products", auth="query")).status == 200
    assert (await client.api("GET", "products", auth="basic")).status == 200


async def test_no_credentials_is_401_cannot_view(client):
    answer = await client.api("GET", "products", auth=None)
    assert answer.status == 401
    assert answer.body["code"] == "woocommerce_rest_cannot_view"
    assert answer.body["data"] == {"status": 401}


async def test_wrong_secret_is_401_with_basic_challenge(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    async with client.session.get(url, params={"consumer_key": "ck_test", "consumer_secret": "nope"}) as response:
        body = await response.json()
        assert response.status == 401
        assert body["message"] == "Consumer secret is invalid."
        assert response.headers["WWW-Authenticate"].startswith('Basic realm="WooCommerce API.')


async def test_oauth_header_signed_request_is_accepted(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    query = {"per_page": "5", "sku": "A"}
    status, body = await get_with_header(client, oauth_header("GET", url, query, "cs_test", nonce="n-1"), query)
    assert status == 200
    assert [p["sku"] for p in body] == ["A"]


async def test_oauth_bad_signature_is_401(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    header = oauth_header("GET", url, {}, "cs_test", nonce="n-2", signature="AAAA")
    status, body = await get_with_header(client, header, {})
    assert status == 401
    assert body["code"] == "woocommerce_rest_authentication_error"
    assert body["message"] == "Invalid signature - provided signature does not match."


async def test_oauth_signed_with_wrong_secret_is_401(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    status, body = await get_with_header(client, oauth_header("GET", url, {}, "other", nonce="n-3"), {})
    assert (status, body["message"]) == (401, "Invalid signature - provided signature does not match.")


async def test_oauth_replayed_nonce_is_401(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    header = oauth_header("GET", url, {}, "cs_test", nonce="same-nonce")
    assert (await get_with_header(client, header, {}))[0] == 200
    status, body = await get_with_header(client, header, {})
    assert status == 401
    assert body["message"] == "Invalid nonce - nonce has already been used."


async def test_oauth_timestamp_outside_15_minutes_is_401(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    header = oauth_header("GET", url, {}, "cs_test", nonce="n-4", timestamp=int(time.time()) - 16 * 60)
    status, body = await get_with_header(client, header, {})
    assert (status, body["message"]) == (401, "Invalid timestamp.")


async def test_oauth_missing_parameter_is_named(client):
    url = f"{client.site_url}/wp-json/wc/v3/products"
    async with client.session.get(url, params={"oauth_consumer_key": "ck_test"}) as response:
        body = await response.json()
    assert response.status == 401
    assert body["code"] == "woocommerce_rest_authentication_missing_parameter"
    assert "oauth_signature" in body["message"]


async def test_read_only_key_cannot_write_but_can_read():
    async with running(WooEmulator([spec("read")])) as client:
        assert (await client.api("GET", "products")).status == 200
        answer = await client.api("POST", "products", json={"name": "X"})
        assert answer.status == 401
        assert answer.body == {
            "code": "woocommerce_rest_authentication_error",
            "message": "The API key provided does not have write permissions.",
            "data": {"status": 401},
        }
        assert len((await client.state())["products"]) == 1


async def test_write_only_key_cannot_read():
    async with running(WooEmulator([spec("write")])) as client:
        answer = await client.api("GET", "products")
        assert (answer.status, answer.body["message"]) == (401, "The API key provided does not have read permissions.")


async def test_unknown_route_is_rest_no_route(client):
    answer = await client.api("GET", "nothing-here")
    assert answer.status == 404
    assert answer.body == {
        "code": "rest_no_route",
        "message": "No route was found matching the URL and request method.",
        "data": {"status": 404},
    }
    # WordPress answers a known path with a wrong method the same way.
    assert (await client.api("DELETE", "products")).body["code"] == "rest_no_route"
