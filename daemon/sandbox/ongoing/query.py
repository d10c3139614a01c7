"""Query-string reading for list endpoints: case-insensitive keys (ASP.NET model binding), repeated
keys for arrays, the goods owner check and id-cursor pagination."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Protocol, TypeVar

from multidict import MultiDict, MultiDictProxy

from .errors import Problems, forbidden_goods_owner
from .times import parse_instant


class HasId(Protocol):
    id: int


T = TypeVar("T", bound=HasId)


class Query:
    def __init__(self, query: MultiDictProxy[str]) -> None:
        self.values = MultiDict((key.lower(), value) for key, value in query.items())
        self.problems = Problems()

    def text(self, name: str) -> str | None:
        return self.values.get(name.lower())

    def texts(self, name: str) -> list[str]:
        """``a=1&a=2`` is two elements; ``a=1,2`` stays one element, as in Ongoing."""
        return self.values.getall(name.lower(), [])

    def integer(self, name: str) -> int | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            self.problems.add(name, f"The value '{raw}' is not valid for {name}.")
            return None

    def flag(self, name: str) -> bool | None:
        raw = self.text(name)
        if raw is None or raw.lower() not in ("true", "false"):
            if raw is not None:
                self.problems.add(name, f"The value '{raw}' is not valid for {name}.")
            return None
        return raw.lower() == "true"

    def instant(self, name: str) -> datetime | None:
        raw = self.text(name)
        if raw is None:
            return None
        instant = parse_instant(raw)
        if instant is None:
            self.problems.add(name, f"The value '{raw}' is not valid for {name}.")
        return instant

    def goods_owner(self, expected: int) -> None:
        """List queries must name the user's goods owner (see ``forbidden_goods_owner``)."""
        given = self.integer("goodsOwnerId")
        if given is None and "goodsownerid" not in self.values:
            self.problems.add("goodsOwnerId", "The goodsOwnerId field is required.")
        self.problems.raise_if_any()
        if given != expected:
            raise forbidden_goods_owner(given)

    def page(self, records: Iterable[T], id_from: str, max_to_get: str) -> list[T]:
        """Ascending by id from ``id_from`` (inclusive), at most ``max_to_get`` (all when absent)."""
        start, limit = self.integer(id_from), self.integer(max_to_get)
        self.problems.raise_if_any()
        chosen = sorted((r for r in records if start is None or r.id >= start), key=lambda r: r.id)
        return chosen if limit is None else chosen[: max(limit, 0)]
