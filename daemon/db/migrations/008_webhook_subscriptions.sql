-- The webhook subscriptions the daemon keeps at each shop and at Rackbeat, one per (connection, address,
-- topic), as last seen by the reconcile. The remote side is the truth; this row is what the daemon knows
-- of it, and for Rackbeat the only place the delivery token lives (Rackbeat shows it once, on create).
-- The address is part of the key so daemons with different public URLs on one database keep theirs apart.
CREATE TABLE webhook_subscriptions (
    connection       text        NOT NULL,     -- shop id, or 'rackbeat'
    address          text        NOT NULL,     -- the delivery URL (daemon.public_url + the listener's route)
    topic            text        NOT NULL,     -- as the platform spells it (Shopify: ORDERS_CREATE)
    remote_id        text        NOT NULL,     -- the platform's subscription id (Shopify: a gid)
    token            text,                     -- Rackbeat-Webhook-Token of this subscription; NULL elsewhere
    created_at       timestamptz,              -- when the daemon last created it; NULL if it found it there
    last_checked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, address, topic)
);
