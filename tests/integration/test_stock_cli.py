"""``rackbeat-sync reconcile-stock --shop ID`` queues one coalesced reconcile job for the daemon."""

from __future__ import annotations

import argparse

import pytest
import structlog

from daemon.cli import stock_cmd
from daemon.queue import JobQueue
from daemon.sync.stock.reconcile import RECONCILE_KIND


@pytest.fixture(autouse=True)
def restore_logging():
    """The command points logging at this test's captured stderr; later tests must not write there."""
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


@pytest.fixture
def config_path(tmp_path, database_url, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)  # it would override the file's database_url
    path = tmp_path / "config.toml"
    path.write_text(
        f'[daemon]\ndatabase_url = "{database_url}"\ndata_dir = "{tmp_path}"\n\n[rackbeat]\ntoken = "t"\n\n'
        '[[shops]]\nid = "shop-a"\ntype = "shopify"\napi_url = "https://a.example"\naccess_token = "t"\n'
        'webhook_secret = "s"\n\n'
        '[[shops]]\nid = "shop-off"\ntype = "shopify"\napi_url = "https://b.example"\naccess_token = "t"\n'
        'webhook_secret = "s"\nstock = { enabled = false }\n'
    )
    return str(path)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rackbeat-sync")
    stock_cmd.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(list(argv))


async def test_reconcile_stock_queues_one_job_per_shop(db, config_path, capsys):
    assert await stock_cmd.reconcile_stock(parse("reconcile-stock", "--config", config_path, "--shop", "shop-a")) == 0
    assert "queued as job" in capsys.readouterr().out
    assert await stock_cmd.reconcile_stock(parse("reconcile-stock", "--config", config_path, "--shop", "shop-a")) == 0
    assert "already queued" in capsys.readouterr().out
    jobs = await JobQueue(db).list(kind=RECONCILE_KIND)
    assert [(job.payload, job.connection, job.state) for job in jobs] == [({"shop": "shop-a"}, "shop-a", "pending")]


async def test_reconcile_stock_refuses_a_shop_without_stock_sync(db, config_path, capsys):
    args = parse("reconcile-stock", "--config", config_path, "--shop", "shop-off")
    assert await stock_cmd.reconcile_stock(args) == stock_cmd.EXIT_USAGE
    assert "shops with stock sync: shop-a" in capsys.readouterr().err
