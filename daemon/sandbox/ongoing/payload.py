"""Reading PUT bodies field by field, collecting model-binding errors under their JSON paths."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .errors import Problems, forbidden_goods_owner
from .wire import to_number


class Reader:
    """One JSON object of a request body; ``path`` names it in modelState (``orderLines[0].prices``)."""

    def __init__(self, data: dict[str, Any], problems: Problems, path: str = "") -> None:
        self.data = data
        self.problems = problems
        self.path = path

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # model binding turns a JSON number into a string field
        if value is not None and not isinstance(value, str):
            self.problems.add(self.where(key), f"The field {key} must be a string.")
            return None
        if required and not (value or "").strip():
            self.problems.add(self.where(key), f"The {key} field is required.")
            return None
        return value

    def number(self, key: str, *, required: bool = False) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.add(self.where(key), f"The {key} field is required.")
            return None
        number = to_number(value)
        if number is None:
            self.problems.add(self.where(key), f"Could not convert {value!r} to a number.")
        return number

    def integer(self, key: str, *, required: bool = False) -> int | None:
        number = self.number(key, required=required)
        if number is not None and number != number.to_integral_value():
            self.problems.add(self.where(key), f"The field {key} must be an integer.")
            return None
        return None if number is None else int(number)

    def boolean(self, key: str) -> bool | None:
        value = self.data.get(key)
        if value is not None and not isinstance(value, bool):
            self.problems.add(self.where(key), f"The field {key} must be true or false.")
            return None
        return value

    def child(self, key: str) -> Reader | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems.add(self.where(key), f"The field {key} must be an object.")
            return None
        return Reader(value, self.problems, self.where(key))

    def children(self, key: str) -> list[Reader] | None:
        """The objects of an array field; None when the field is absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problems.add(self.where(key), f"The field {key} must be an array of objects.")
            return []
        return [Reader(item, self.problems, f"{self.where(key)}[{i}]") for i, item in enumerate(value)]

    def echo(self, numeric: frozenset[str] = frozenset(), skip: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The object as sent minus ``skip``, with ``numeric`` fields read as numbers (so GET shows 1.5, not "1.5")."""
        echoed = {key: value for key, value in self.data.items() if key not in skip}
        for key in numeric & echoed.keys():
            echoed[key] = self.number(key)
        return echoed


def read_upsert(body: dict[str, Any], goods_owner_id: int, key: str) -> tuple[Reader, str]:
    """The common start of every PUT: goodsOwnerId must be the user's own (403 at once otherwise) and
    ``key`` (the business number) is required. The caller raises the collected problems when done."""
    reader = Reader(body, Problems())
    given = reader.integer("goodsOwnerId", required=True)
    if given is not None and given != goods_owner_id:
        raise forbidden_goods_owner(given)
    return reader, reader.text(key, required=True) or ""
