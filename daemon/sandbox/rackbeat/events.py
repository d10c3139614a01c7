"""What the state tells the outside world about a change; the webhook dispatcher turns these into deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Event:
    name: str
    key: int | str
    key_name: str
    data: dict[str, Any] = field(default_factory=dict)


Publish = Callable[[Event], None]


def discard(_: Event) -> None:
    """Publisher for a state nobody listens to (e.g. while seeding)."""
