"""What changes with the API version in the URL (the version the client asked for decides behaviour)."""

from __future__ import annotations

import re

VERSION_PATTERN = re.compile(r"^(\d{4}-(01|04|07|10)|unstable)$")
IDEMPOTENT_MUTATIONS = frozenset({"inventorySetQuantities"})


def is_known(version: str) -> bool:
    return bool(VERSION_PATTERN.match(version))


def _at_least(version: str, first: str) -> bool:
    return version == "unstable" or version >= first


def has_idempotent_directive(version: str) -> bool:
    """[C] ``@idempotent`` exists from 2026-01; older versions reject it as an unknown directive."""
    return _at_least(version, "2026-01")


def requires_idempotency_key(version: str) -> bool:
    """[C] From 2026-04 the inventory mutations fail at runtime without ``@idempotent``.

    [I] The changelog lists inventoryAdjustQuantities/SetOnHand/Move; we assume inventorySetQuantities too.
    """
    return _at_least(version, "2026-04")


def uses_change_from_quantity(version: str) -> bool:
    """[C] 2026-04 replaced compareQuantity/ignoreCompareQuantity by a mandatory ``changeFromQuantity``."""
    return _at_least(version, "2026-04")
