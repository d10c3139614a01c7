"""``make bench [BENCH=name]``: runs benchmarks and prints ``name: value`` lines.

Each benchmark is a module here with ``async def run(database_url: str) -> dict[str, float | int]``.
It gets a fresh database on the machine's PostgreSQL (``DATABASE_URL``) or on an embedded server.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
import tempfile
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from daemon.cli.run_cmd import tune_garbage_collector

BENCHMARKS = ("queue", "ingest", "orders", "stock", "initial_sync")


async def _fresh_database(admin_dsn: str) -> tuple[str, str]:
    name = f"rbsync_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    parts = urlsplit(admin_dsn)
    return name, urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


async def _drop(admin_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def _run_one(name: str, admin_dsn: str) -> None:
    module = importlib.import_module(f"tests.bench.{name}")
    db_name, dsn = await _fresh_database(admin_dsn)
    try:
        results = await module.run(dsn)
    finally:
        await _drop(admin_dsn, db_name)
    for key, value in results.items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}", flush=True)


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else "all"
    names = BENCHMARKS if wanted == "all" else (wanted,)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)} or all", file=sys.stderr)
        return 2
    admin_dsn = os.environ.get("DATABASE_URL")
    server = None
    if not admin_dsn:
        import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(prefix="rbsync-bench-"), cleanup_mode="delete")
        admin_dsn = server.get_uri()
    # This process runs the daemon's own code (queue, ingest, stock, initial_sync) or the emulators and
    # shoppers that load the daemon on the same two cores (orders): its collector is tuned as ``run``'s.
    tune_garbage_collector()
    try:
        for name in names:
            asyncio.run(_run_one(name, admin_dsn))
    finally:
        if server is not None:
            server.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
