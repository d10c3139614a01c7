"""``rackbeat-sync jobs list|retry`` against the test database, through the real entry point."""

from __future__ import annotations

import asyncio

import pytest
import structlog

from daemon.cli import main
from daemon.queue import JobQueue


@pytest.fixture
def config_path(tmp_path, database_url, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # it would override the file's database_url
    path = tmp_path / "config.toml"
    path.write_text(
        f'[daemon]\ndatabase_url = "{database_url}"\ndata_dir = "{tmp_path}"\n\n[rackbeat]\ntoken = "t"\n'
    )
    yield str(path)
    structlog.reset_defaults()  # the command pointed logging at this test's captured stderr


async def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))  # main runs its own event loop
    out, err = capsys.readouterr()
    return code, out, err


async def failed_jobs(queue: JobQueue, count: int) -> list[int]:
    ids = [await queue.enqueue("order.import", {"n": n}, connection="shop-1") for n in range(count)]
    for job in await queue.leases.claim("cli-test", count, 60, per_connection=count):
        await queue.leases.park(job, "unknown SKU ABC\nin line 2", blocked_on="sku:ABC")
    return ids


async def test_jobs_list_shows_a_filtered_table(db, config_path, capsys):
    queue = JobQueue(db)
    [failed] = await failed_jobs(queue, 1)
    await queue.enqueue("stock.push", {}, connection="shop-2")

    code, out, _ = await run_cli(capsys, "jobs", "list", "--config", config_path, "--state", "failed")
    assert code == 0
    header, rule, row, *rest = out.splitlines()
    assert header.split() == ["id", "kind", "connection", "state", "attempts", "run_at", "last_error"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.split()[:5] == [str(failed), "order.import", "shop-1", "failed", "1/12"]
    assert row.endswith("unknown SKU ABC in line 2")
    assert rest == []

    code, out, _ = await run_cli(capsys, "jobs", "list", "--config", config_path, "--kind", "stock.push", "--limit", "5")
    assert (code, len(out.splitlines()), out.splitlines()[2].split()[1]) == (0, 3, "stock.push")

    code, out, _ = await run_cli(capsys, "jobs", "list", "--config", config_path, "--kind", "nothing")
    assert (code, out) == (0, "no jobs\n")


async def test_jobs_retry_one_and_all_failed(db, config_path, capsys):
    queue = JobQueue(db)
    first, *others = await failed_jobs(queue, 3)

    code, out, _ = await run_cli(capsys, "jobs", "retry", str(first), "--config", config_path)
    assert (code, out) == (0, f"job {first} moved back to pending\n")
    assert (await queue.get(first)).state == "pending"

    code, _, err = await run_cli(capsys, "jobs", "retry", str(first), "--config", config_path)
    assert (code, err) == (1, f"job {first} is pending, not failed\n")

    code, out, _ = await run_cli(capsys, "jobs", "retry", "--all-failed", "--config", config_path)
    assert (code, out) == (0, "2 failed job(s) moved back to pending\n")
    assert [(await queue.get(i)).state for i in others] == ["pending", "pending"]


async def test_jobs_retry_needs_exactly_one_target(config_path, capsys):
    code, _, err = await run_cli(capsys, "jobs", "retry", "--config", config_path)
    assert code == 2 and "job ID or --all-failed" in err
    code, _, _ = await run_cli(capsys, "jobs", "retry", "7", "--all-failed", "--config", config_path)
    assert code == 2
