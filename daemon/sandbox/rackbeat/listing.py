"""The list envelope every collection answers with (HTTP 206), and its query language.

``page``/``limit`` (default 20, clamped 1..1000; pages past the end are empty), ``order_by`` +
``order_direction``, ``fields`` projection, ``search`` (case-insensitive substring over the
resource's text fields), ``simple_filter[attr]=value`` and plain ``attr=value`` equality on
top-level scalars, and ``updated_at_from``/``updated_at_to``.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from .stamps import parse_instant

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
CONTROL_PARAMS = {
    "page",
    "limit",
    "order_by",
    "order_direction",
    "fields",
    "search",
    "expand",
    "updated_at_from",
    "updated_at_to",
    "suppress_webhooks",
}
_SIMPLE_FILTER = re.compile(r"^simple_filter\[(.+)\]$")


def _clamp(raw: str | None, default: int, low: int, high: int | None = None) -> int:
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        value = default
    value = max(low, value)
    return min(high, value) if high is not None else value


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, Decimal, bool))


def _filterable(record: Mapping[str, Any], attribute: str) -> bool:
    return attribute in record and _scalar(record[attribute])


def matches(value: Any, wanted: str) -> bool:
    """Exact match of a record value against a query-string value (booleans, numbers, null aware)."""
    if isinstance(value, bool):
        return wanted.lower() in (("true", "1") if value else ("false", "0"))
    if value is None:
        return wanted.lower() in ("", "null")
    if isinstance(value, (int, float, Decimal)):
        try:
            return Decimal(str(value)) == Decimal(wanted)
        except InvalidOperation:
            return False
    return str(value) == wanted


def _in_window(record: Mapping[str, Any], start: str | None, end: str | None) -> bool:
    stamp = parse_instant(record.get("updated_at") or "")
    if stamp is None:
        return False
    low = parse_instant(start) if start else None
    high = parse_instant(end) if end else None
    return (low is None or stamp >= low) and (high is None or stamp <= high)


def _sort_key(field: str):
    def key(record: Mapping[str, Any]) -> tuple:
        value = record.get(field)
        if isinstance(value, str) and (stamp := parse_instant(value)) is not None and field.endswith("_at"):
            return (0, stamp)
        return (value is None, value if _scalar(value) else str(value))

    return key


def project(record: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """Keep only the requested top-level fields; ``locations(*)`` style suffixes name the field."""
    if not fields:
        return record
    wanted = [re.sub(r"\(.*\)$", "", name.strip()) for name in fields.split(",") if name.strip()]
    return {name: record[name] for name in wanted if name in record}


def list_envelope(
    plural: str,
    records: Iterable[dict[str, Any]],
    query: Mapping[str, str],
    search_fields: tuple[str, ...] = ("number", "name"),
) -> dict[str, Any]:
    """Filter, sort and cut one page out of ``records`` (already rendered as dicts)."""
    rows = list(records)
    if search := query.get("search", "").strip().lower():
        rows = [r for r in rows if any(search in str(r.get(f) or "").lower() for f in search_fields)]
    for param, wanted in query.items():
        if match := _SIMPLE_FILTER.match(param):  # records without the attribute never match
            attribute = match.group(1)
            rows = [r for r in rows if _filterable(r, attribute) and matches(r[attribute], wanted)]
        elif param not in CONTROL_PARAMS:  # plain attr=value; unknown attributes are ignored
            rows = [r for r in rows if not _filterable(r, param) or matches(r[param], wanted)]
    if query.get("updated_at_from") or query.get("updated_at_to"):
        rows = [r for r in rows if _in_window(r, query.get("updated_at_from"), query.get("updated_at_to"))]
    if order_by := query.get("order_by"):
        rows.sort(key=_sort_key(order_by), reverse=query.get("order_direction", "ASC").upper() == "DESC")
    limit = _clamp(query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT)
    page = _clamp(query.get("page"), 1, 1)
    window = rows[(page - 1) * limit : page * limit]
    return {
        plural: [project(r, query.get("fields")) for r in window],
        "total": len(rows),
        "pages": max(1, math.ceil(len(rows) / limit)),
        "limit": limit,
        "page": page,
    }
