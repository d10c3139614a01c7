"""Authenticity checks on the raw request bytes, before anything parses them.

Pure functions (no I/O, no configuration) so they can be tested against an independent implementation.
Every comparison goes through :func:`hmac.compare_digest`, so a forger learns nothing from timing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Iterable

_WOO_PING = re.compile(rb"webhook_id=\d+")


def body_signature(secret: str, body: bytes) -> str:
    """``base64(HMAC-SHA256(secret, body))``: the signature Shopify and WooCommerce both send."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_valid(secret: str, body: bytes, signature: str | None) -> bool:
    if not signature:
        return False
    return _same(body_signature(secret, body), signature)


def token_valid(expected: str, given: str | None) -> bool:
    """Rackbeat sends a static shared token instead of a signature."""
    return bool(given) and _same(expected, given)


def token_among(expected: Iterable[str], given: str | None) -> bool:
    """Rackbeat gives each subscription its own token: compare with every one, never stopping early."""
    return bool(given) and sum(_same(candidate, given) for candidate in expected) > 0


def is_woo_ping(body: bytes) -> bool:
    """WooCommerce's creation ping is the unsigned form body ``webhook_id=<n>`` and nothing else."""
    return _WOO_PING.fullmatch(body) is not None


def _same(a: str, b: str) -> bool:
    # bytes, because compare_digest refuses non-ASCII str and a header may carry anything
    return hmac.compare_digest(a.encode("utf-8", "surrogateescape"), b.encode("utf-8", "surrogateescape"))
