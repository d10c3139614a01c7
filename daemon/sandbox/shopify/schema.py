"""The executable schema: SDL from schema.graphql, Shopify's scalar formats, and the resolver conventions.

Views expose snake_case attributes and methods; ``resolve_field`` maps Shopify's camelCase fields and
arguments onto them, so no per-field resolver wiring is needed. Dicts (money bags, userErrors) are read by
their camelCase keys. Versions before 2026-01 get the same schema minus ``@idempotent``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from graphql import GraphQLResolveInfo, GraphQLSchema, build_schema

from .ids import iso_z
from .money import graphql_decimal, rest_amount
from .versions import has_idempotent_directive

SDL_PATH = Path(__file__).with_name("schema.graphql")
_CAMEL_BOUNDARY = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL_BOUNDARY.sub("_", name).lower()


SCALAR_OUTPUT = {
    "DateTime": iso_z,
    "Decimal": lambda value: graphql_decimal(Decimal(value)),
    "Money": lambda value: rest_amount(Decimal(value)),
    "UnsignedInt64": str,
    "URL": str,
}


def _configure_scalars(schema: GraphQLSchema) -> None:
    for name, coerce in SCALAR_OUTPUT.items():
        schema.type_map[name].coerce_output_value = coerce  # type: ignore[attr-defined]


@cache
def _full_schema() -> GraphQLSchema:
    schema = build_schema(SDL_PATH.read_text())
    _configure_scalars(schema)
    return schema


@cache
def _schema_without_idempotent() -> GraphQLSchema:
    full = _full_schema()
    return GraphQLSchema(
        query=full.query_type,
        mutation=full.mutation_type,
        types=[t for name, t in full.type_map.items() if not name.startswith("__")],
        directives=[d for d in full.directives if d.name != "idempotent"],
    )


def schema_for(version: str) -> GraphQLSchema:
    return _full_schema() if has_idempotent_directive(version) else _schema_without_idempotent()


def resolve_field(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    if isinstance(source, dict):
        return source.get(info.field_name)
    value = getattr(source, snake(info.field_name), None)
    if callable(value):
        return value(**{snake(key): argument for key, argument in args.items()})
    return value


def resolve_type(value: Any, info: GraphQLResolveInfo, abstract_type: Any) -> str:
    return value["__typename"] if isinstance(value, dict) else value.typename
