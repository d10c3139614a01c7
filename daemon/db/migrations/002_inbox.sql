-- Durable inbox: every verified webhook delivery and every polled change lands here first.
-- A delivery is acknowledged only after its row (and, for a processable one, its 'inbox' job) commits.
CREATE TABLE inbox (
    id           bigserial PRIMARY KEY,
    source       text        NOT NULL,         -- 'shopify' | 'woocommerce' | 'rackbeat' | 'poll'
    connection   text        NOT NULL,         -- shop id or 'rackbeat'
    delivery_id  text        NOT NULL,         -- X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID, or derived
    topic        text        NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- useful delivery headers, never signatures
    body         bytea       NOT NULL,         -- the exact bytes that were verified
    status       text        NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'processed', 'rejected', 'ignored')),
    reason       text,                         -- why rejected / ignored
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    UNIQUE (source, connection, delivery_id)   -- a redelivery is stored once
);

-- /healthz: the newest webhook per connection, without scanning polled rows.
CREATE INDEX inbox_last_webhook ON inbox (connection, received_at DESC) WHERE source <> 'poll';
