"""Turning stored body bytes into the JSON object every webhook and polled change must be."""

from __future__ import annotations

import json
from typing import Any


class PayloadError(ValueError):
    """The body is not a JSON object; the message is the reason stored with the rejected row."""


def parse_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise PayloadError(f"body is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise PayloadError(f"body is JSON but not an object ({type(value).__name__})")
    return value
