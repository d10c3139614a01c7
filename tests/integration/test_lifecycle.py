"""``rackbeat-sync run`` as systemd runs it: READY after the listener is up, watchdog pings,
SIGTERM → STOPPING, running jobs finish (or are handed back after the grace time), exit 0."""

from __future__ import annotations

import socket
import subprocess
import textwrap
from pathlib import Path

import aiohttp
import pytest

from daemon.sandbox.common import free_port
from daemon.webhooks.inbox import InboxStore
from tests.integration.daemon_process import RACKBEAT_SYNC, DaemonProcess, NotifySocket, daemon_env
from tests.integration.rackbeat_stub import RackbeatStub, running_stub
from tests.integration.waiting import wait_until

RESOURCES = ("products", "orders", "purchase-orders")


def write_config(tmp_path: Path, *, api_url: str, port: int, grace_s: float) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [daemon]
            listen = "127.0.0.1:{port}"
            data_dir = "{tmp_path}"
            shutdown_grace_s = {grace_s}

            [rackbeat]
            api_url = "{api_url}"
            token = "test-token"
            poll_interval_s = 3600
            """
        )
    )
    return path


@pytest.fixture
async def stub():
    async with running_stub(RackbeatStub()) as stub:
        yield stub


@pytest.fixture
async def notify():
    listener = NotifySocket()
    yield listener
    await listener.close()


@pytest.fixture
def port():
    return free_port()


@pytest.fixture
async def launch(tmp_path, database_url, stub, notify, port):
    """Start a daemon with the given grace time; it is killed at the end whatever happened."""
    started: list[DaemonProcess] = []

    async def launch_daemon(grace_s: float) -> DaemonProcess:
        config = write_config(tmp_path, api_url=stub.base_url, port=port, grace_s=grace_s)
        env = daemon_env(DATABASE_URL=database_url, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="200000")
        daemon = DaemonProcess(config, tmp_path / "daemon.log", env)
        started.append(daemon)
        await daemon.start()
        return daemon

    yield launch_daemon
    for daemon in started:
        await daemon.kill()
        print(daemon.log())  # shown by pytest when the test failed


class BlockedJob:
    """An inbox job whose processing waits on a row lock the test holds until ``release``."""

    def __init__(self, db, job_id: int, inbox_id: int, holder) -> None:
        self.db = db
        self.job_id = job_id
        self.inbox_id = inbox_id
        self._holder = holder

    @classmethod
    async def create(cls, db) -> BlockedJob:
        inbox_id = await InboxStore(db).store("rackbeat", "rackbeat", "d-1", "employee.updated", b"{}", {})
        job_id = await db.pool.fetchval("SELECT id FROM jobs WHERE payload->>'inbox_id' = $1", str(inbox_id))
        holder = await db.connect_single()
        await holder.execute("BEGIN")
        await holder.execute("SELECT 1 FROM inbox WHERE id = $1 FOR UPDATE", inbox_id)
        return cls(db, job_id, inbox_id, holder)

    async def job(self):
        return await self.db.pool.fetchrow("SELECT state, locked_by, attempts FROM jobs WHERE id = $1", self.job_id)

    async def is_running(self) -> bool:
        return (await self.job())["state"] == "running"

    async def inbox_status(self) -> str:
        return await self.db.pool.fetchval("SELECT status FROM inbox WHERE id = $1", self.inbox_id)

    async def release(self) -> None:
        """Closing the holding connection ends its transaction, and with it the lock."""
        if not self._holder.is_closed():
            await self._holder.close()


@pytest.fixture
async def blocked_job(db):
    job = await BlockedJob.create(db)
    yield job
    await job.release()


async def test_ready_watchdog_and_a_stop_that_lets_the_running_job_finish(launch, notify, stub, port, db, blocked_job):
    daemon = await launch(grace_s=30)
    await notify.wait_for("READY=1")
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ok"
    ready_at = notify.lines.index("READY=1")
    assert "WATCHDOG=1" in notify.lines[:ready_at]  # pinging from the start, not only once ready
    await notify.wait_for("WATCHDOG=1", count=notify.lines.count("WATCHDOG=1") + 3)

    async def polled_every_stream() -> bool:
        done = await db.pool.fetchval("SELECT count(*) FROM poll_cursors WHERE last_success_at IS NOT NULL")
        return done == len(RESOURCES)

    await wait_until(polled_every_stream)
    assert {resource: len(stub.requests_for(resource)) for resource in RESOURCES} == dict.fromkeys(RESOURCES, 1)
    await wait_until(blocked_job.is_running)

    daemon.terminate()
    await notify.wait_for("STOPPING=1")
    await blocked_job.release()  # the running job finishes within the grace time
    assert await daemon.exit_code() == 0
    assert (await blocked_job.job())["state"] == "done"
    assert await blocked_job.inbox_status() == "ignored"  # no flow handles this topic
    log = daemon.log()
    assert "daemon.stopped" in log and "poll.completed" in log


async def test_a_job_outliving_the_grace_time_is_handed_back(launch, notify, blocked_job):
    daemon = await launch(grace_s=0.5)
    await notify.wait_for("READY=1")
    await wait_until(blocked_job.is_running)

    daemon.terminate()
    assert await daemon.exit_code() == 0
    job = await blocked_job.job()
    assert (job["state"], job["locked_by"], job["attempts"]) == ("pending", None, 0)  # the cut attempt is not counted
    assert "job.released" in daemon.log()


async def test_a_failed_start_exits_non_zero_without_ready(launch, notify, port):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        daemon = await launch(grace_s=1)
        assert await daemon.exit_code() == 1
    assert "READY=1" not in notify.lines
    assert "daemon.start_failed" in daemon.log()


async def test_a_crashed_component_ends_the_process_non_zero(launch, db):
    await db.pool.execute("ALTER TABLE poll_cursors RENAME TO poll_cursors_gone")  # every poller's first run breaks
    daemon = await launch(grace_s=1)
    assert await daemon.exit_code() == 1
    log = daemon.log()
    assert "daemon.component_crashed" in log and "daemon.stopped" in log


def test_config_problems_refuse_to_start_with_the_check_config_messages(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[daemon]\nlisten = "nowhere"\n\n[[shops]]\nid = "s1"\ntype = "magento"\n')
    env = daemon_env()

    run = subprocess.run([RACKBEAT_SYNC, "run", "--config", config], capture_output=True, text=True, env=env)
    check = subprocess.run([RACKBEAT_SYNC, "check-config", "--config", config], capture_output=True, text=True, env=env)

    assert (run.returncode, check.returncode) == (2, 2)
    assert run.stderr == check.stderr
    problems = run.stderr.splitlines()
    assert "config error: rackbeat: is required" in problems
    assert "config error: shops[0].type: must be one of shopify, woocommerce" in problems
    assert any(line.startswith("config error: daemon.listen: must be host:port") for line in problems)
