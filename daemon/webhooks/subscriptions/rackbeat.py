"""Rackbeat's subscription API, for the reconciler.

``POST /webhooks`` upserts on event+url and shows the delivery ``token`` only when it creates. So a
subscription whose token the daemon does not hold (the answer to its create was lost, or it was made
by hand) is deleted and made again: that is the only way to learn a token.
"""

from __future__ import annotations

from daemon.connectors.rackbeat.client import RackbeatClient
from daemon.connectors.rackbeat.connection import CONNECTION
from daemon.errors import TerminalApiError
from daemon.http.urls import segment
from daemon.webhooks.subscriptions.reconcile import Remote


class RackbeatSubscriptions:
    issues_tokens = True
    connection = CONNECTION

    def __init__(self, client: RackbeatClient, address: str) -> None:
        self._client = client
        self.address = address

    async def subscriptions(self) -> dict[str, Remote]:
        return {
            hook["event"]: Remote(str(hook["id"]), disabled=not hook.get("is_active", True))
            async for page in self._client.iter_pages("/webhooks")
            for hook in page
            if hook.get("url") == self.address
        }

    async def create(self, topic: str) -> Remote:
        hook = await self._client.register_webhook(topic, self.address)
        if not hook.get("token"):  # it existed already
            await self._client.api.request("DELETE", f"/webhooks/{segment(hook['id'])}")
            hook = await self._client.register_webhook(topic, self.address)
        if not hook.get("token"):
            raise TerminalApiError(f"rackbeat created webhook {hook.get('id')} without a token", connection=CONNECTION)
        return Remote(str(hook["id"]), token=hook["token"])

    async def activate(self, topic: str, remote: Remote) -> None:
        body = {"event": topic, "url": self.address, "is_active": True}  # an upsert: safe to repeat
        await self._client.api.request("POST", "/webhooks", json=body, idempotent=True)
