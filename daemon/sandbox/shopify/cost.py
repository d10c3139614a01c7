"""Calculated query cost, Shopify's rules (S8): scalars and enums 0, objects 1, connections
2 + first/last × the cost of one node, abstract types the most expensive possibility, mutations 10.

The requested cost is computed from the document before execution; the actual cost walks the same
selections over the returned data, so a connection is charged for the nodes it really returned.
The same walk over root arguments enforces the 250-item cap on input arrays (S7).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_argument_values

MUTATION_COST = 10
CONNECTION_BASE_COST = 2
MAX_INPUT_SIZE = 250


class Operation:
    """One operation of a validated document, with its coerced variables and fragments at hand."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        definition: OperationDefinitionNode,
        variables: VariableValues | None,
    ) -> None:
        self.schema = schema
        self.document = document
        self.definition = definition
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        root = schema.mutation_type if self.is_mutation else schema.query_type
        self.root_type: GraphQLObjectType = root  # type: ignore[assignment]

    @property
    def is_mutation(self) -> bool:
        return self.definition.operation == OperationType.MUTATION

    def arguments(self, parent: GraphQLObjectType, node: FieldNode) -> dict[str, Any]:
        definition = parent.fields[node.name.value]
        try:
            return get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}

    def fields_of(self, parent_type, selection_set: SelectionSetNode | None):
        """Yield (type the field is selected on, field node), flattening fragments."""
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield parent_type, selection
            else:
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments[selection.name.value]
                    condition, selections = fragment.type_condition, fragment.selection_set
                else:
                    condition, selections = selection.type_condition, selection.selection_set
                on_type = self.schema.get_type(condition.name.value) if condition else parent_type
                yield from self.fields_of(on_type, selections)


def find_operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        return next((op for op in operations if op.name and op.name.value == operation_name), None)
    return operations[0] if len(operations) == 1 else None


def _response_key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _is_connection(type_name: str) -> bool:
    return type_name.endswith("Connection")


class CostCalculator:
    """Requested cost when ``data`` is None, actual cost when given the executed ``data``."""

    def __init__(self, operation: Operation) -> None:
        self.op = operation

    def cost(self, data: dict[str, Any] | None = None) -> int:
        if self.op.is_mutation:
            roots = [
                node for _, node in self.op.fields_of(self.op.root_type, self.op.definition.selection_set)
            ]
            return MUTATION_COST * len([node for node in roots if not node.name.value.startswith("__")])
        return self._selection(
            self.op.root_type, self.op.definition.selection_set, data, requested=data is None
        )

    def _selection(self, parent_type, selection_set, data, *, requested: bool) -> int:
        """Sum over fields; on abstract types each possible type's fields are priced and the maximum taken."""
        if is_abstract_type(parent_type):
            per_type: dict[str, int] = {}
            for on_type, node in self.op.fields_of(parent_type, selection_set):
                per_type[on_type.name] = per_type.get(on_type.name, 0) + self._field(
                    on_type, node, data, requested
                )
            common = per_type.pop(parent_type.name, 0)
            return common + max(per_type.values(), default=0)
        return sum(
            self._field(on_type, node, data, requested)
            for on_type, node in self.op.fields_of(parent_type, selection_set)
        )

    def _field(self, parent_type, node: FieldNode, data, requested: bool) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0
        field_type = get_named_type(parent_type.fields[name].type)
        if is_leaf_type(field_type):
            return 0
        value = data.get(_response_key(node)) if isinstance(data, dict) else None
        if _is_connection(field_type.name):
            return self._connection(parent_type, node, field_type, value, requested)
        ids = self.op.arguments(parent_type, node).get("ids")
        if isinstance(ids, list):
            return self._by_ids(field_type, node, ids, value, requested)
        if requested:
            return 1 + self._selection(field_type, node.selection_set, None, requested=True)
        items = [item for item in (value if isinstance(value, list) else [value]) if item is not None]
        return 1 + max(
            (self._selection(field_type, node.selection_set, item, requested=False) for item in items),
            default=0,
        )

    def _by_ids(self, node_type, node: FieldNode, ids: list, value, requested: bool) -> int:
        """[I] ``nodes(ids:)`` is priced like a connection without its base: one object per id."""
        if requested:
            return len(ids) * (1 + self._selection(node_type, node.selection_set, None, requested=True))
        items = [item for item in value or [] if item is not None]
        return sum(
            1 + self._selection(node_type, node.selection_set, item, requested=False) for item in items
        )

    def _connection(self, parent_type, node: FieldNode, connection_type, value, requested: bool) -> int:
        """2 + per-node cost × (first|last when requested, the nodes actually returned otherwise)."""
        node_type = get_named_type(connection_type.fields["nodes"].type)
        selections = list(self._node_selections(connection_type, node))
        if requested:
            arguments = self.op.arguments(parent_type, node)
            size = arguments.get("first") or arguments.get("last") or 0
            per_node = [1 + self._selection(node_type, sel, None, requested=True) for sel, _ in selections]
            return CONNECTION_BASE_COST + size * max(per_node, default=0)
        if not isinstance(value, dict):
            return CONNECTION_BASE_COST
        spent = [
            sum(
                1 + self._selection(node_type, sel, item, requested=False)
                for item in items
                if item is not None
            )
            for sel, items in ((sel, extract(value)) for sel, extract in selections)
        ]
        return CONNECTION_BASE_COST + max(spent, default=0)

    def _node_selections(self, connection_type, node: FieldNode):
        """(selection set on the node type, how to pick those nodes out of the result) for ``nodes``
        and for ``edges { node }``; selecting both is charged once, for the dearer one."""
        edge_type = get_named_type(connection_type.fields["edges"].type)
        for _, child in self.op.fields_of(connection_type, node.selection_set):
            key = _response_key(child)
            if child.name.value == "nodes":
                yield child.selection_set, lambda result, key=key: result.get(key) or []
            elif child.name.value == "edges":
                for _, edge_child in self.op.fields_of(edge_type, child.selection_set):
                    if edge_child.name.value == "node":
                        inner = _response_key(edge_child)
                        yield edge_child.selection_set, lambda result, key=key, inner=inner: [
                            edge.get(inner) for edge in result.get(key) or []
                        ]


def oversized_inputs(operation: Operation) -> list[GraphQLError]:
    """Shopify refuses any input array over 250 items before executing (``MAX_INPUT_SIZE_EXCEEDED``)."""
    errors = []
    for parent_type, node in operation.fields_of(operation.root_type, operation.definition.selection_set):
        if node.name.value.startswith("__"):
            continue
        for path, size in _list_sizes(operation.arguments(parent_type, node), [node.name.value]):
            if size > MAX_INPUT_SIZE:
                errors.append(
                    GraphQLError(
                        f"The input array size of {size} is greater than the maximum allowed of {MAX_INPUT_SIZE}.",
                        node,
                        path=path,
                        extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
                    )
                )
    return errors


def _list_sizes(value: Any, path: list[str]):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _list_sizes(inner, [*path, key])
    elif isinstance(value, list):
        yield path, len(value)
        for inner in value:
            yield from _list_sizes(inner, path)
