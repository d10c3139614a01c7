-- Durable inbox: every verified webhook delivery and every polled change lands here first.
CREATE TABLE inbox (
    id           bigserial PRIMARY KEY,
    source       text        NOT NULL,         -- 'shopify' | 'woocommerce' | 'rackbeat' | 'poll'
    connection   text        NOT NULL,         -- shop id or 'rackbeat'
    delivery_id  text        NOT NULL,         -- X-Shopify-Webhook-Id, X-WC-Webhook-Delivery-ID, or synthetic
    topic        text        NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    body         bytea       NOT NULL,
    status       text        NOT NULL DEFAULT 'received'
                 CHECK (status IN ('received', 'processed', 'rejected', 'ignored')),
    reason       text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    UNIQUE (source, connection, delivery_id)
);

CREATE INDEX inbox_connection_received ON inbox (connection, received_at DESC);
