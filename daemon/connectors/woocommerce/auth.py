"""WooCommerce REST authentication as the server accepts it (``WC_REST_Authentication``).

Over HTTPS: HTTP Basic with the consumer key and secret. Over plain HTTP WooCommerce accepts only
OAuth 1.0a "one-legged" (no token): HMAC-SHA256 with key ``secret&`` over
``METHOD&url&sorted-query-params``, the body unsigned, a fresh nonce per request. A retry must sign
again (a reused nonce is refused for 15 minutes), and the HTTP layer decides on retries, so signing
happens where each attempt is sent: a thin wrapper around the shared session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any, Callable, Mapping
from urllib.parse import quote

import aiohttp
import yarl

SIGNATURE_METHOD = "HMAC-SHA256"


def rfc3986(value: str) -> str:
    return quote(value, safe="~")


def oauth_signature(method: str, url: str, params: Mapping[str, str], consumer_secret: str) -> str:
    """Base64 HMAC-SHA256 of the OAuth 1.0a base string; ``url`` without its query."""
    pairs = sorted((rfc3986(key), rfc3986(value)) for key, value in params.items() if key != "oauth_signature")
    normalized = "&".join(f"{key}={value}" for key, value in pairs)
    base = "&".join((method.upper(), rfc3986(url), rfc3986(normalized)))
    digest = hmac.new(f"{consumer_secret}&".encode(), base.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def oauth_header(
    method: str,
    url: yarl.URL,
    params: Mapping[str, Any] | None,
    consumer_key: str,
    consumer_secret: str,
    *,
    timestamp: int,
    nonce: str,
) -> str:
    """``Authorization: OAuth ...`` for one request; the URL's own query and ``params`` are both signed."""
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce,
        "oauth_signature_method": SIGNATURE_METHOD,
        "oauth_timestamp": str(timestamp),
    }
    signed = {**dict(url.query), **{key: str(value) for key, value in (params or {}).items()}, **oauth}
    bare_url = str(url.with_query(None).with_fragment(None))
    oauth["oauth_signature"] = oauth_signature(method, bare_url, signed, consumer_secret)
    return "OAuth " + ", ".join(f'{key}="{rfc3986(value)}"' for key, value in sorted(oauth.items()))


class OAuthSession:
    """Stands in for the aiohttp session of one plain-HTTP site: signs every attempt afresh."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        consumer_key: str,
        consumer_secret: str,
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = lambda: secrets.token_hex(16),
    ) -> None:
        self._session = session
        self._key = consumer_key
        self._secret = consumer_secret
        self._clock = clock
        self._nonce = nonce

    def request(
        self,
        method: str,
        url: yarl.URL,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        authorization = oauth_header(
            method, url, params, self._key, self._secret, timestamp=int(self._clock()), nonce=self._nonce()
        )
        return self._session.request(
            method, url, params=params, headers={**(headers or {}), "Authorization": authorization}, **kwargs
        )


def site_auth(
    api_url: str, consumer_key: str, consumer_secret: str, session: aiohttp.ClientSession
) -> tuple[aiohttp.ClientSession | OAuthSession, dict[str, str]]:
    """(session to send with, headers to add) for a site, by its scheme: Basic over https, else OAuth."""
    if yarl.URL(api_url).scheme == "https":
        return session, {"Authorization": aiohttp.encode_basic_auth(consumer_key, consumer_secret)}
    return OAuthSession(session, consumer_key, consumer_secret), {}
