"""Order and purchase-order lines in PUT bodies: keyed by ``rowNumber``, naming existing articles.

[inferred] A PUT that carries the lines array carries the whole order: rows it names are updated in
place (keeping their line ``id``), new rows are added, rows it leaves out are removed. A PUT without
the array leaves the lines alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, TypeVar

from .payload import Reader
from .store import Article, Store

L = TypeVar("L")


@dataclass
class LineInput:
    row: str
    article: Article
    quantity: Decimal
    fields: dict[str, Any]  # the rest of the line as sent (externalId, prices, comment, ...)


def read_lines(
    store: Store, readers: list[Reader] | None, read_fields: Callable[[Reader], dict[str, Any]]
) -> list[LineInput] | None:
    """Validate each line (rowNumber unique, articleNumber known, numberOfItems numeric, the rest by
    ``read_fields``); problems are collected on the readers' shared Problems. None without lines array."""
    if readers is None:
        return None
    inputs: list[LineInput] = []
    seen: set[str] = set()
    for line in readers:
        row = line.text("rowNumber", required=True)
        number = line.text("articleNumber", required=True)
        quantity = line.number("numberOfItems")
        fields = read_fields(line)
        if row is not None and row in seen:
            line.problems.add(line.where("rowNumber"), f"The rowNumber {row} occurs more than once.")
        seen.add(row or "")
        article = store.article_by_number(number) if number else None
        if number and article is None:
            line.problems.add(line.where("articleNumber"), f"Article with article number {number} does not exist.")
        if row and article is not None:
            inputs.append(LineInput(row, article, quantity if quantity is not None else Decimal(0), fields))
    return inputs


def merge_lines(
    existing: dict[str, L],
    inputs: list[LineInput],
    create: Callable[[LineInput], L],
    update: Callable[[L, LineInput], None],
) -> dict[str, L]:
    merged: dict[str, L] = {}
    for given in inputs:
        line = existing.get(given.row)
        if line is None:
            line = create(given)
        else:
            update(line, given)
        merged[given.row] = line
    return merged
