-- The link (shop, shop order id) -> Rackbeat order: the guard that makes every shop order one Rackbeat order.
CREATE TABLE shop_orders (
    shop_id                  text        NOT NULL,
    shop_order_id            text        NOT NULL,
    name                     text        NOT NULL,
    state                    text        NOT NULL
                             CHECK (state IN ('waiting', 'queued', 'transferred', 'parked', 'skipped')),
    reason                   text,
    shop_updated_at          timestamptz NOT NULL,   -- newest version seen; older payloads never overwrite it
    payload_format           text        NOT NULL,   -- shopify_rest | shopify_graphql | woocommerce
    payload                  jsonb       NOT NULL,
    first_seen_at            timestamptz NOT NULL DEFAULT now(),
    reference                text        NOT NULL,   -- written on the Rackbeat order as other_reference;
                                                     -- derived from the key, so no unique index of its own
                                                     -- (a second one deadlocks concurrent first inserts)
    create_attempted_at      timestamptz,            -- committed before the first create call
    rackbeat_order_number    bigint      UNIQUE,
    rackbeat_customer_number bigint,
    transferred_at           timestamptz,
    processed_to             text,                   -- draft | booked | shipped | invoiced reached so far
    shop_cancelled_at        timestamptz,
    attention                text,                   -- what the operator should look at, if anything
    backfill                 boolean     NOT NULL DEFAULT false,  -- an operator asked for it despite the start date
    PRIMARY KEY (shop_id, shop_order_id)
);

CREATE INDEX shop_orders_state ON shop_orders (state) WHERE state <> 'transferred';

-- The product lines of the stored version of each shop order: what an order not yet in Rackbeat reserves.
CREATE TABLE shop_order_lines (
    shop_id       text    NOT NULL,
    shop_order_id text    NOT NULL,
    line_id       text    NOT NULL,
    sku           text    NOT NULL,
    quantity      numeric NOT NULL,
    PRIMARY KEY (shop_id, shop_order_id, line_id),
    FOREIGN KEY (shop_id, shop_order_id) REFERENCES shop_orders (shop_id, shop_order_id) ON DELETE CASCADE
);

CREATE INDEX shop_order_lines_sku ON shop_order_lines (sku);

-- Known Rackbeat customers by email, so a returning customer costs no request.
CREATE TABLE rackbeat_customers (
    email      text PRIMARY KEY,
    number     bigint      NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per Rackbeat shipment of a transferred order: the shop is fulfilled once per shipment.
CREATE TABLE order_fulfilments (
    rackbeat_shipment_id bigint      PRIMARY KEY,
    shop_id              text        NOT NULL,
    shop_order_id        text        NOT NULL,
    lines                jsonb       NOT NULL,   -- [{"sku": ..., "quantity": ...}] shipped in this shipment
    tracking             jsonb,
    state                text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    shop_fulfilment_id   text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    done_at              timestamptz,
    FOREIGN KEY (shop_id, shop_order_id) REFERENCES shop_orders (shop_id, shop_order_id)
);

CREATE INDEX order_fulfilments_order ON order_fulfilments (shop_id, shop_order_id);
