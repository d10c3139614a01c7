"""What a job row looks like to Python code (handlers, the operator CLI)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import Any

import asyncpg

STATES = ("pending", "running", "done", "failed", "merged")
"""``merged``: a retry or requeue folded into a pending job with the same dedupe key, which does its work."""


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    connection: str | None
    payload: dict[str, Any]
    dedupe_key: str | None
    state: str
    attempts: int
    max_attempts: int
    run_at: dt.datetime
    lease_until: dt.datetime | None
    locked_by: str | None
    last_error: str | None
    blocked_on: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    finished_at: dt.datetime | None

    @classmethod
    def from_record(cls, record: asyncpg.Record) -> Job:
        """From a ``jobs`` row; columns added later by other migrations are ignored."""
        values = {field.name: record[field.name] for field in fields(cls)}
        values["payload"] = json.loads(values["payload"])
        return cls(**values)
