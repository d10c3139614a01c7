"""WooCommerce REST authentication (``WC_REST_Authentication``), checks in the server's own order.

Real WooCommerce accepts query-string keys and HTTP Basic only over HTTPS and OAuth 1.0a only over HTTP.
The emulator serves plain HTTP on loopback and accepts all three, so both client styles can be exercised.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import quote, unquote

from .wire import RestError

OAUTH_PARAMS = ("oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method")
WINDOW_SECONDS = 15 * 60
BASIC_REALM = (
    'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."'
)
_ALGORITHMS = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}


@dataclass(frozen=True)
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str  # read | write | read_write

    def allows(self, method: str) -> bool:
        if method in ("GET", "HEAD"):
            return self.permissions in ("read", "read_write")
        if method == "OPTIONS":
            return True
        return self.permissions in ("write", "read_write")


def rfc3986(value: str) -> str:
    """``wc_rest_urlencode_rfc3986`` (PHP ``rawurlencode``)."""
    return quote(value, safe="~")


def _auth_error(message: str) -> RestError:
    return RestError("woocommerce_rest_authentication_error", message, 401)


def _signature_pairs(params: Mapping[str, Any], prefix: str = "") -> list[str]:
    """``join_with_equals_sign`` over already-normalised parameters, nested arrays as ``key%5Bsub%5D``."""
    pairs: list[str] = []
    for key, value in params.items():
        full_key = f"{prefix}%5B{key}%5D" if prefix else key
        if isinstance(value, Mapping):
            pairs.extend(_signature_pairs(value, full_key))
        elif isinstance(value, list):
            pairs.extend(_signature_pairs(dict(enumerate(value)), full_key))
        else:
            pairs.append(rfc3986(f"{full_key}={value}"))
    return pairs


def _normalise(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return rfc3986(str(value))


def oauth_signature(method: str, base_url: str, params: Mapping[str, Any], secret: str, algorithm: str) -> str:
    """The signature WooCommerce expects: key ``secret&``, base ``METHOD&url&sorted-params``."""
    signed = {rfc3986(k): _normalise(v) for k, v in sorted(params.items()) if k != "oauth_signature"}
    base = f"{method.upper()}&{rfc3986(base_url)}&" + "%26".join(_signature_pairs(signed))
    digest = hmac.new(f"{secret}&".encode(), base.encode(), _ALGORITHMS[algorithm]).digest()
    return base64.b64encode(digest).decode()


def parse_oauth_header(header: str) -> dict[str, str]:
    """``parse_header``: ``OAuth k="v", ...`` with rawurldecoded values."""
    if not header.lower().startswith("oauth "):
        return {}
    params: dict[str, str] = {}
    for part in header[6:].split(","):
        if "=" not in part:
            continue
        key, value = part.strip().split("=", 1)
        params[key.strip()] = unquote(value.strip().strip('"'))
    return params


def basic_credentials(header: str) -> tuple[str, str] | None:
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip()).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password


class Authenticator:
    """Authenticates one site's requests against its single API key; remembers used OAuth nonces."""

    def __init__(self, key: ApiKey, *, now: Callable[[], float] = time.time) -> None:
        self.key = key
        self._now = now
        # WooCommerce stores used nonces keyed by timestamp, so a second nonce in the same second replaces
        # the first one; copied as is.
        self._nonces: dict[int, str] = {}

    def authenticate(self, method: str, base_url: str, query: Mapping[str, Any], headers: Mapping[str, str]) -> ApiKey | None:
        """Return the key, ``None`` when no credentials were sent, or raise the 401 WooCommerce sends."""
        user = self._basic(query, headers.get("Authorization", ""))
        if user is None:
            user = self._oauth(method, base_url, query, headers.get("Authorization", ""))
        if user is not None and not user.allows(method):
            kind = "read" if method in ("GET", "HEAD") else "write"
            raise _auth_error(f"The API key provided does not have {kind} permissions.")
        return user

    def _basic(self, query: Mapping[str, Any], authorization: str) -> ApiKey | None:
        consumer_key, consumer_secret = query.get("consumer_key"), query.get("consumer_secret")
        if not (consumer_key and consumer_secret):
            consumer_key, consumer_secret = basic_credentials(authorization) or ("", "")
        if not (consumer_key and consumer_secret) or consumer_key != self.key.consumer_key:
            return None
        if not hmac.compare_digest(str(consumer_secret), self.key.consumer_secret):
            error = _auth_error("Consumer secret is invalid.")
            error.headers["WWW-Authenticate"] = BASIC_REALM
            raise error
        return self.key

    def _oauth(self, method: str, base_url: str, query: Mapping[str, Any], authorization: str) -> ApiKey | None:
        params = {**query, **parse_oauth_header(authorization)}
        missing = [name for name in OAUTH_PARAMS if not params.get(name)]
        if len(missing) == len(OAUTH_PARAMS):
            return None
        if missing:
            raise RestError(
                "woocommerce_rest_authentication_missing_parameter",
                "Missing OAuth parameter(s) " + ", ".join(missing),
                401,
            )
        if params["oauth_consumer_key"] != self.key.consumer_key:
            raise _auth_error("Consumer key is invalid.")
        algorithm = str(params["oauth_signature_method"])
        if algorithm not in _ALGORITHMS:
            raise _auth_error("Invalid signature - signature method is invalid.")
        expected = oauth_signature(method, base_url, params, self.key.consumer_secret, algorithm)
        provided = unquote(str(params["oauth_signature"]).replace(" ", "+"))
        if not hmac.compare_digest(expected, provided):
            raise _auth_error("Invalid signature - provided signature does not match.")
        self._check_timestamp_and_nonce(str(params["oauth_timestamp"]), str(params["oauth_nonce"]))
        return self.key

    def _check_timestamp_and_nonce(self, raw_timestamp: str, nonce: str) -> None:
        now = int(self._now())
        try:
            timestamp = int(raw_timestamp)
        except ValueError:
            raise _auth_error("Invalid timestamp.") from None
        if not now - WINDOW_SECONDS <= timestamp <= now + WINDOW_SECONDS:
            raise _auth_error("Invalid timestamp.")
        if nonce in self._nonces.values():
            raise _auth_error("Invalid nonce - nonce has already been used.")
        self._nonces[timestamp] = nonce
        self._nonces = {ts: n for ts, n in self._nonces.items() if ts >= now - WINDOW_SECONDS}
