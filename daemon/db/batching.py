"""Coalesce concurrent writes into one statement: a burst costs a few commits, not one per item.

Nothing waits for a batch to fill. A write starts at the event loop's next turn while fewer than
``max_in_flight`` are running, and takes every item submitted until then: callers woken together (the
jobs of one claim, the waiters of one finished batch) leave together instead of the first one or two
alone. Items that arrive while the writes are running queue up and leave together in the next one. An
idle listener therefore answers as fast as a single INSERT, and a busy one spreads the round trip, the
commit and the jobs trigger over many deliveries. Every caller still returns only once its own item is
written.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatchWriter(Generic[T, R]):
    def __init__(
        self,
        write: Callable[[list[T]], Awaitable[list[R]]],
        *,
        max_batch: int,
        max_in_flight: int,
        isolate: Callable[[BaseException], bool],
    ) -> None:
        """``write`` returns one result per item, in order. When a batch fails with an error for which
        ``isolate`` is true (bad data rather than a dead database), its items are retried one by one
        so that one poisonous item fails alone."""
        self._write = write
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._isolate = isolate
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._in_flight = 0
        self._starter: asyncio.Task[None] | None = None  # launched, has not taken its batch yet
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        self._launch()
        return await future

    def _launch(self) -> None:
        if self._waiting and self._starter is None and self._in_flight < self._max_in_flight:
            self._in_flight += 1
            self._starter = task = asyncio.create_task(self._run())
            self._tasks.add(task)
            task.add_done_callback(self._finished)

    async def _run(self) -> None:
        self._starter = None
        batch = self._waiting[: self._max_batch]
        del self._waiting[: self._max_batch]
        self._launch()  # more than one batch waiting: the next write starts alongside
        try:
            await self._settle(batch)
        finally:
            for _, future in batch:  # only if the task itself was cancelled
                future.cancel()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._starter is task:  # cancelled before it took a batch
            self._starter = None
        self._in_flight -= 1
        self._launch()

    async def _settle(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._write([item for item, _ in batch])
        except Exception as exc:  # noqa: BLE001 - handed to every caller of the batch
            if len(batch) > 1 and self._isolate(exc):
                for one in batch:
                    await self._settle([one])
                return
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
