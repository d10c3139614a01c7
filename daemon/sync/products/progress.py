"""Progress while the initial sync runs, and its final report.

On a terminal a bar (or, without a known total, a counter) is redrawn in place; otherwise each page
gives one ``initial_sync.progress`` log line, so journald and CI logs stay readable.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

import structlog

from daemon.sync.products.sync_store import Report

log = structlog.get_logger()
BAR_WIDTH = 30


class Tally:
    """This process's outcomes so far (the report of a resumed run comes from the database)."""

    def __init__(self) -> None:
        self.seen = 0
        self.products: Counter[str] = Counter()
        self.stock: Counter[str] = Counter()
        self.skipped: list[tuple[str, str, str]] = []

    def summary(self) -> str:
        parts = [f"{name} {n}" for name, n in sorted(self.products.items())]
        parts += [f"stock {name} {n}" for name, n in sorted(self.stock.items())]
        return ", ".join(parts)


class Progress:
    def __init__(self, stream: TextIO, shop_id: str) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._shop_id = shop_id

    def page(self, tally: Tally, pages_done: int, total_pages: int | None) -> None:
        if not self._tty:
            log.info(
                "initial_sync.progress",
                shop=self._shop_id,
                pages=pages_done,
                total_pages=total_pages,
                variants=tally.seen,
                products=dict(tally.products),
                stock=dict(tally.stock),
            )
            return
        head = f"{tally.seen} variants"
        if total_pages:
            filled = BAR_WIDTH * min(pages_done, total_pages) // total_pages
            head = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] page {pages_done}/{total_pages}, {head}"
        self._stream.write(f"\r{head}  {tally.summary()}\x1b[K")
        self._stream.flush()

    def close(self) -> None:
        if self._tty:
            self._stream.write("\n")
            self._stream.flush()


def report_lines(shop_id: str, report: Report, *, dry_run: bool) -> list[str]:
    """The human report: counts first, then each skipped variant with its reason."""
    verb = "would be " if dry_run else ""
    lines = [f"initial sync of shop {shop_id}{' (dry run: nothing was written)' if dry_run else ''}"]
    for outcome in ("created", "linked", "skipped"):
        lines.append(f"  products {verb}{outcome}: {report.products.get(outcome, 0)}")
    if report.stock:
        for outcome in ("adjusted", "unchanged", "skipped"):
            lines.append(f"  stock {verb}{outcome}: {report.stock.get(outcome, 0)}")
    for sku, variant_id, reason in report.skipped:
        lines.append(f"  skipped {sku or '(no SKU)'} [{variant_id}]: {reason}")
    shown = len(report.skipped)
    total = report.products.get("skipped", 0) + report.stock.get("skipped", 0)
    if total > shown:
        lines.append(f"  ... and {total - shown} more skipped")
    return lines
