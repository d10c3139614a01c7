"""Masks secrets in log events, by key name and by value, wherever they appear.

Key names catch the obvious (``token=...``); registered values catch a secret echoed inside a URL,
an error message or a response body.
"""

from __future__ import annotations

import re
from typing import Any

MASK = "***"
SECRET_KEY = re.compile(
    r"(token|secret|password|passwd|signature|hmac|authorization|api[_-]?key|credential|consumer_key)",
    re.IGNORECASE,
)
_MIN_SECRET_LENGTH = 4
_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    if value and len(value) >= _MIN_SECRET_LENGTH:
        _secrets.add(value)


def redact_text(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: MASK if _is_secret_key(k, v) else redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    if isinstance(value, BaseException):
        return redact_text(f"{type(value).__name__}: {value}")
    return value


def _is_secret_key(key: Any, value: Any) -> bool:
    return isinstance(key, str) and bool(SECRET_KEY.search(key)) and isinstance(value, (str, bytes))


def redact_processor(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: runs last before rendering."""
    return redact_value(event_dict)
