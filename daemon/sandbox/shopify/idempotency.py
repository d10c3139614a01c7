"""``@idempotent(key:)`` on mutations: a repeated key returns the first result and changes nothing again.

Handled in the resolver layer so a mutation's own code never sees a replay. The stored result is the
payload the first call returned; its views read live state, but an InventoryAdjustmentGroup's changes are
frozen records, so a replay reports exactly what the first call did.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from graphql import GraphQLError, GraphQLResolveInfo
from graphql.execution.values import get_directive_values

from .schema import resolve_field
from .store import ShopState
from .versions import IDEMPOTENT_MUTATIONS, requires_idempotency_key

Resolver = Callable[..., Any]


def _key(info: GraphQLResolveInfo) -> str | None:
    directive = info.schema.get_directive("idempotent")
    if directive is None:
        return None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    return values["key"] if values else None


def make_resolver(state: ShopState, api_version: str) -> Resolver:
    """The field resolver for one request: plain resolution, plus idempotency on mutation root fields."""

    def resolve(source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        if info.parent_type is not info.schema.mutation_type:
            return resolve_field(source, info, **args)
        field = info.field_name
        key = _key(info)
        if key is None:
            if field in IDEMPOTENT_MUTATIONS and requires_idempotency_key(api_version):
                # [I] message and code are not documented; the 2026-04 changelog only says "an error at runtime"
                raise GraphQLError(
                    f"The @idempotent directive is required for {field}.",
                    info.field_nodes,
                    extensions={"code": "BAD_REQUEST"},
                )
            return resolve_field(source, info, **args)
        if field not in IDEMPOTENT_MUTATIONS:
            raise GraphQLError(f"The @idempotent directive is not supported on {field}.", info.field_nodes)
        fingerprint = json.dumps([field, args], sort_keys=True, default=str)
        stored = state.idempotent_results.get(key)
        if stored is not None:
            if stored[0] == fingerprint:
                return stored[1]
            return {
                "userErrors": [
                    {
                        "field": None,
                        "message": "The same idempotency key cannot be used with different operation parameters.",
                        "code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
                    }
                ]
            }
        result = resolve_field(source, info, **args)
        state.idempotent_results[key] = (fingerprint, result)
        return result

    return resolve
