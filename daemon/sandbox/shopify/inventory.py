"""Stock writes: ``inventorySetQuantities`` (all-or-nothing, compare-and-set) and direct drift from tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ids import gid, parse_gid
from .lifecycle import level_changed
from .store import InventoryAdjustmentGroup, InventoryChange, InventoryLevel, ShopState

SETTABLE_NAMES = ("available", "on_hand")
REASONS = frozenset(
    "correction cycle_count_available damaged movement_canceled movement_created movement_received movement_updated "
    "other promotion quality_control received reservation_created reservation_deleted reservation_updated restock "
    "safety_stock shrinkage".split()
)
QUANTITY_LIMIT = 1_000_000_000


@dataclass
class SetRequest:
    """One ``inventorySetQuantities`` call; ``change_from_mode`` is the 2026-04+ contract (see versions.py)."""

    name: str
    reason: str
    reference_document_uri: str | None
    ignore_compare_quantity: bool
    quantities: list[dict[str, Any]]
    change_from_mode: bool


def _error(message: str, code: str | None, *field: str) -> dict[str, Any]:
    return {"field": ["input", *field], "message": message, "code": code}


def _check_expected(
    request: SetRequest, index: int, raw: dict[str, Any], current: int
) -> dict[str, Any] | None:
    where = ("quantities", str(index))
    if request.change_from_mode:
        if "changeFromQuantity" not in raw:
            # [I] the exact code for a missing changeFromQuantity is not documented in our notes
            return _error(
                "changeFromQuantity is required (pass null to skip the check).",
                None,
                *where,
                "changeFromQuantity",
            )
        expected, code, field = raw["changeFromQuantity"], "CHANGE_FROM_QUANTITY_STALE", "changeFromQuantity"
    else:
        if request.ignore_compare_quantity:
            return None
        if raw.get("compareQuantity") is None:
            return _error(
                "The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.",
                "COMPARE_QUANTITY_REQUIRED",
                *where,
                "compareQuantity",
            )
        expected, code, field = raw["compareQuantity"], "COMPARE_QUANTITY_STALE", "compareQuantity"
    if expected is not None and expected != current:
        return _error(
            f"The specified compare quantity does not match the current quantity ({current}).",
            code,
            *where,
            field,
        )
    return None


def _validate(state: ShopState, request: SetRequest) -> tuple[list[InventoryLevel], list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []
    if request.name not in SETTABLE_NAMES:
        errors.append(
            _error("The quantity name must be either 'available' or 'on_hand'.", "INVALID_NAME", "name")
        )
    if request.reason not in REASONS:
        errors.append(_error("The specified reason is invalid.", "INVALID_REASON", "reason"))
    levels: list[InventoryLevel] = []
    seen: set[tuple[int, int]] = set()
    for index, raw in enumerate(request.quantities):
        where = ("quantities", str(index))
        item_id = parse_gid(raw["inventoryItemId"], "InventoryItem")
        location_id = parse_gid(raw["locationId"], "Location")
        if item_id not in state.inventory_items:
            errors.append(
                _error(
                    "The specified inventory item could not be found.",
                    "INVALID_INVENTORY_ITEM",
                    *where,
                    "inventoryItemId",
                )
            )
            continue
        if location_id not in state.locations:
            errors.append(
                _error("The specified location could not be found.", "INVALID_LOCATION", *where, "locationId")
            )
            continue
        if (item_id, location_id) in seen:
            errors.append(
                _error(
                    "The combination of inventoryItemId and locationId must be unique.",
                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                    *where,
                )
            )
            continue
        seen.add((item_id, location_id))
        level = state.level(item_id, location_id)
        if level is None:
            errors.append(
                _error(
                    "The specified inventory item is not stocked at the location.",
                    "ITEM_NOT_STOCKED_AT_LOCATION",
                    *where,
                    "locationId",
                )
            )
            continue
        if raw["quantity"] > QUANTITY_LIMIT:
            errors.append(
                _error(
                    "The quantity can't be higher than 1,000,000,000.",
                    "INVALID_QUANTITY_TOO_HIGH",
                    *where,
                    "quantity",
                )
            )
        elif raw["quantity"] < -QUANTITY_LIMIT:
            errors.append(
                _error(
                    "The quantity can't be lower than -1,000,000,000.",
                    "INVALID_QUANTITY_TOO_LOW",
                    *where,
                    "quantity",
                )
            )
        stale = (
            _check_expected(request, index, raw, level.quantity(request.name))
            if request.name in SETTABLE_NAMES
            else None
        )
        if stale:
            errors.append(stale)
        levels.append(level)
    return levels, errors


def set_level(state: ShopState, level: InventoryLevel, name: str, quantity: int) -> list[InventoryChange]:
    """Set one named quantity; ``available`` moves ``on_hand`` with it since committed stock stays committed."""
    before_available, before_on_hand = level.available, level.on_hand
    level.on_hand = quantity + level.committed if name == "available" else quantity
    if level.available != before_available:
        level_changed(state, level)
    changes = [
        InventoryChange(
            "available",
            level.available - before_available,
            level.available,
            level.inventory_item_id,
            level.location_id,
        ),
        InventoryChange(
            "on_hand",
            level.on_hand - before_on_hand,
            level.on_hand,
            level.inventory_item_id,
            level.location_id,
        ),
    ]
    return changes if name == "available" else changes[::-1]


def set_quantities(
    state: ShopState, request: SetRequest
) -> tuple[InventoryAdjustmentGroup | None, list[dict[str, Any]]]:
    """Validate everything first and apply nothing when anything is wrong, as Shopify's mutation does."""
    levels, errors = _validate(state, request)
    if errors:
        return None, errors
    changes = [
        change
        for level, raw in zip(levels, request.quantities)
        for change in set_level(state, level, request.name, raw["quantity"])
    ]
    group = InventoryAdjustmentGroup(state.next_id(), request.reason, request.reference_document_uri, changes)
    state.adjustment_groups[group.id] = group
    return group, []


def level_gid(level: InventoryLevel) -> str:
    return f"{gid('InventoryLevel', level.location_id)}?inventory_item_id={level.inventory_item_id}"
