"""``POST /{handle}/admin/api/{version}/graphql.json``: auth, parse, validate, price, throttle, execute.

Every GraphQL answer (also errors) carries ``extensions.cost``; throttling and the cost ceiling answer
HTTP 200 with a top-level error and no ``data``, as Shopify does.
"""

from __future__ import annotations

import uuid
from typing import Any

from aiohttp import web
from graphql import GraphQLError, GraphQLSchema, execute, parse, validate
from graphql.execution.values import VariableValues, get_variable_values

from ..common import mark_create
from .cost import CostCalculator, Operation, find_operation, oversized_inputs
from .idempotency import make_resolver
from .mutations import MutationRoot
from .queries import QueryRoot
from .schema import resolve_type, schema_for
from .store import ShopState
from .throttle import LeakyBucket
from .versions import is_known

MAX_QUERY_COST = 1000
RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


class GraphQLEndpoint:
    def __init__(self, shops: dict[str, ShopState], buckets: dict[str, LeakyBucket]) -> None:
        self.shops = shops
        self.buckets = buckets

    async def handle(self, request: web.Request) -> web.Response:
        state = self.shops.get(request.match_info["handle"])
        version = request.match_info["version"]
        if state is None or not is_known(version):
            return web.json_response({"errors": "Not Found"}, status=404)
        if request.headers.get("X-Shopify-Access-Token") != state.spec.access_token:
            return web.json_response({"errors": INVALID_TOKEN}, status=401)
        try:
            payload = await request.json()
            if not isinstance(payload.get("query"), str):
                raise ValueError("query missing")
        except (ValueError, AttributeError):
            return web.json_response(
                {"errors": {"query": "Required parameter missing or invalid"}}, status=400
            )
        body = self._run(state, version, payload, request)
        headers = {"X-Shopify-API-Version": version, "X-Request-Id": str(uuid.uuid4())}
        return web.json_response(body, headers=headers)

    def _run(
        self, state: ShopState, version: str, payload: dict[str, Any], request: web.Request
    ) -> dict[str, Any]:
        bucket = self.buckets[state.spec.handle]
        schema = schema_for(version)
        prepared = prepare(schema, payload)
        if isinstance(prepared, list):
            return _errors(bucket, prepared)
        operation = prepared
        requested = CostCalculator(operation).cost()
        if requested > MAX_QUERY_COST:
            return _errors(bucket, [_max_cost_error(requested)], requested, None)
        if not bucket.try_take(requested):
            throttled = GraphQLError(
                "Throttled", extensions={"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS}
            )
            return _errors(bucket, [throttled], requested, None)
        if operation.is_mutation:
            mark_create(request)
        result = execute(
            schema,
            operation.document,
            root_value=MutationRoot(state, version) if operation.is_mutation else QueryRoot(state),
            variable_values=payload.get("variables") or {},
            operation_name=payload.get("operationName"),
            field_resolver=make_resolver(state, version),
            type_resolver=resolve_type,
        )
        actual = CostCalculator(operation).cost(result.data or {})
        bucket.refund(max(0, requested - actual))
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [error.formatted for error in result.errors]
        body["extensions"] = _cost(bucket, requested, actual)
        return body


def prepare(schema: GraphQLSchema, payload: dict[str, Any]) -> Operation | list[GraphQLError]:
    """Parse, validate, pick the operation and coerce its variables; refuse oversized input arrays."""
    try:
        document = parse(payload["query"])
    except GraphQLError as error:
        return [error]
    errors = validate(schema, document)
    if errors:
        return errors
    definition = find_operation(document, payload.get("operationName"))
    if definition is None:
        return [GraphQLError("An operation name is required when the document holds several operations.")]
    variables = get_variable_values(
        schema, definition.variable_definitions or (), payload.get("variables") or {}
    )
    if not isinstance(variables, VariableValues):
        return variables
    operation = Operation(schema, document, definition, variables)
    return oversized_inputs(operation) or operation


def _errors(
    bucket: LeakyBucket, errors: list[GraphQLError], requested: int = 0, actual: int | None = 0
) -> dict[str, Any]:
    """A refusal: top-level errors, no ``data``, and the cost as Shopify reports it."""
    return {"errors": [error.formatted for error in errors], "extensions": _cost(bucket, requested, actual)}


def _max_cost_error(cost: int) -> GraphQLError:
    return GraphQLError(
        f"Query cost is {cost}, which exceeds the single query max cost limit ({MAX_QUERY_COST}).",
        extensions={
            "code": "MAX_COST_EXCEEDED",
            "cost": cost,
            "maxCost": MAX_QUERY_COST,
            "documentation": RATE_LIMIT_DOCS,
        },
    )


def _cost(bucket: LeakyBucket, requested: int, actual: int | None) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": bucket.status(),
        }
    }
