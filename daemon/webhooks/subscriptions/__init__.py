"""The daemon's own webhook subscriptions at the shops and at Rackbeat, kept alive by a periodic reconcile."""

from daemon.webhooks.subscriptions.manager import SubscriptionManager

__all__ = ["SubscriptionManager"]
