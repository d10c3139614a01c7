"""The initial sync's progress display and report text (no I/O beyond a string stream)."""

from __future__ import annotations

import io

from daemon.sync.products.progress import Progress, Tally, report_lines
from daemon.sync.products.sync_store import Report


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_redrawn_in_place():
    stream = Terminal()
    tally = Tally()
    tally.seen = 50
    tally.products["created"] = 40
    progress = Progress(stream, "acme")
    progress.page(tally, 1, 4)
    progress.page(tally, 2, None)
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\r[#######.......................] page 1/4, 50 variants  created 40")
    assert "\r50 variants  created 40" in text and text.endswith("\n")


def test_without_a_terminal_nothing_is_drawn():
    stream = io.StringIO()
    Progress(stream, "acme").page(Tally(), 1, 10)
    assert stream.getvalue() == ""


def test_report_lists_counts_then_each_skip_with_its_reason():
    skipped = [("", "v7", "variant has no SKU"), ("X" * 26, "v8", "too long")]
    report = Report({"created": 3, "linked": 2, "skipped": 2}, {}, skipped)
    assert report_lines("acme", report, dry_run=False) == [
        "initial sync of shop acme",
        "  products created: 3",
        "  products linked: 2",
        "  products skipped: 2",
        "  skipped (no SKU) [v7]: variant has no SKU",
        f"  skipped {'X' * 26} [v8]: too long",
    ]
    dry = report_lines("acme", Report({"created": 1}, {"adjusted": 1}, []), dry_run=True)
    assert dry[0].endswith("(dry run: nothing was written)") and "  stock would be adjusted: 1" in dry
