"""An embedded PostgreSQL (pgserver) in the data directory, so a fresh machine needs nothing installed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from daemon.logs.setup import get_logger

log = get_logger()


class EmbeddedPostgres:
    """Starts the bundled server on first use and stops it on exit; the data survives restarts."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir).resolve() / "pgdata"
        self._server = None

    async def start(self) -> str:
        import pgserver  # imported here: it probes the runtime dir on import, which only `run` needs

        self.path.mkdir(parents=True, exist_ok=True)
        self._server = await asyncio.to_thread(pgserver.get_server, self.path, cleanup_mode="stop")
        log.info("db.embedded.started", path=str(self.path))
        return self._server.get_uri()

    async def stop(self) -> None:
        if self._server is not None:
            await asyncio.to_thread(self._server.cleanup)
            self._server = None
            log.info("db.embedded.stopped", path=str(self.path))
