"""Request arguments the way PHP and the WP REST schema see them.

PHP builds ``$_GET`` with last-wins for repeated keys and arrays for ``key[]``; the official Python client
relies on that (it sends its parameters twice under OAuth). Validation failures are collected into one
``rest_invalid_param`` answer like WP core does.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from .wire import invalid_params

PER_PAGE_MAX = 100
_BRACKET = re.compile(r"^([^\[]+)\[([^\]]*)\]$")


def php_query(raw_query: str) -> dict[str, Any]:
    """``parse_str`` semantics for the one-level forms WooCommerce clients use."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        match = _BRACKET.match(key)
        if not match:
            result[key] = value
            continue
        base, sub = match.groups()
        container = result.get(base)
        if sub == "":
            if not isinstance(container, list):
                container = result[base] = []
            container.append(value)
        else:
            if not isinstance(container, dict):
                container = result[base] = {}
            container[sub] = value
    return result


def as_list(value: Any) -> list[str]:
    """WP's ``wp_parse_list``: arrays stay arrays, strings split on commas and spaces."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [str(v) for v in value if str(v) != ""]
    return [part for part in re.split(r"[\s,]+", str(value)) if part]


def as_bool(value: Any) -> bool:
    """``rest_sanitize_boolean``."""
    if isinstance(value, bool):
        return value
    return str(value).lower() not in ("", "0", "false", "no", "off")


def parse_iso(value: str) -> datetime:
    """``rest_parse_date`` accepts RFC 3339 with or without a zone."""
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


class Args:
    """Reads and validates one request's arguments; ``done()`` raises the collected errors."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def integer(self, name: str, default: int | None, *, minimum: int | None = None, maximum: int | None = None):
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            number = int(str(raw).strip())
        except ValueError:
            self.errors[name] = f"{name} is not of type integer."
            return default
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            if minimum is not None and maximum is not None:
                self.errors[name] = f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"
            else:
                self.errors[name] = f"{name} must be greater than or equal to {minimum}"
            return default
        return number

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        raw = self.values.get(name)
        if raw is None:
            return default
        if raw not in allowed:
            self.errors[name] = f"{name} is not one of {', '.join(allowed)}."
            return default
        return str(raw)

    def choices(self, name: str, default: list[str], allowed: tuple[str, ...]) -> list[str]:
        if name not in self.values:
            return default
        picked = as_list(self.values[name])
        bad = [value for value in picked if value not in allowed]
        if bad:
            self.errors[name] = f"{name}[0] is not one of {', '.join(allowed)}."
            return default
        return picked

    def date(self, name: str) -> datetime | None:
        raw = self.values.get(name)
        if raw is None:
            return None
        try:
            return parse_iso(str(raw))
        except ValueError:
            self.errors[name] = "Invalid date."
            return None

    def flag(self, name: str, default: bool = False) -> bool:
        raw = self.values.get(name)
        return default if raw is None else as_bool(raw)

    def text(self, name: str) -> str | None:
        raw = self.values.get(name)
        return None if raw is None else str(raw)

    def done(self) -> None:
        if self.errors:
            raise invalid_params(self.errors)
