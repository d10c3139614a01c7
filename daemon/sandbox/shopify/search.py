"""Shopify search syntax, the subset the daemon sends: ``field:value`` terms joined by spaces or AND,
comparators ``:>``, ``:>=``, ``:<``, ``:<=``, values optionally quoted, negation with ``-`` or ``NOT``.
Unknown fields are ignored, as Shopify ignores them (it only adds a warning). OR is not supported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable

TERM = re.compile(
    r"""(?P<negated>-|\bNOT\s+)?\b(?P<field>[a-z_]+):(?P<op>>=|<=|>|<|)(?P<value>'[^']*'|"[^"]*"|\S+)"""
)


@dataclass(frozen=True)
class Term:
    field: str
    op: str  # "", ">", ">=", "<", "<="
    value: str
    negated: bool = False


def parse(query: str | None) -> list[Term]:
    if not query:
        return []
    return [
        Term(m.group("field"), m.group("op"), m.group("value").strip("'\""), bool(m.group("negated")))
        for m in TERM.finditer(query)
    ]


def parse_time(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def compare(actual: Any, op: str, expected: Any) -> bool:
    if actual is None or expected is None:
        return False
    return {
        "": actual == expected,
        ">": actual > expected,
        ">=": actual >= expected,
        "<": actual < expected,
        "<=": actual <= expected,
    }[op]


Matcher = Callable[[Any, Term], bool]


def filter_items(items: list[Any], query: str | None, matchers: dict[str, Matcher]) -> list[Any]:
    terms = [term for term in parse(query) if term.field in matchers]
    return [item for item in items if all(matchers[t.field](item, t) != t.negated for t in terms)]


def time_matcher(attribute: str) -> Matcher:
    return lambda item, term: compare(getattr(item, attribute), term.op, parse_time(term.value))
