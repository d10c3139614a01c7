-- Ongoing WMS: what was sent to each warehouse, and what came back from it, so nothing is lost or doubled.

-- One row per Rackbeat document pushed to one warehouse (article, order, purchase order).
CREATE TABLE ongoing_outbound (
    connection   text        NOT NULL,          -- ongoing config id
    kind         text        NOT NULL CHECK (kind IN ('article', 'order', 'purchase_order')),
    number       text        NOT NULL,          -- Rackbeat number = Ongoing article/order/purchase order number
    state        text        NOT NULL CHECK (state IN ('sent', 'started', 'failed', 'not_stocked')),
    payload_hash text,                          -- of the last payload Ongoing accepted: unchanged ones are not re-sent
    ongoing_id   bigint,                        -- articleSystemId / orderId / purchaseOrderId
    error_class  text        CHECK (error_class IN ('retryable', 'terminal')),
    last_error   text,
    attempts     integer     NOT NULL DEFAULT 0,
    sent_at      timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, kind, number)
);

-- One row per delivery coming back: a shipment (Ongoing order picked and sent) or a receipt (purchase
-- order received). Written before the Rackbeat create; finished when Ongoing has the reported numbers.
CREATE TABLE ongoing_deliveries (
    id               bigserial   PRIMARY KEY,
    connection       text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('shipment', 'receipt')),
    ongoing_id       bigint      NOT NULL,      -- Ongoing orderId / purchaseOrderId
    rackbeat_number  bigint      NOT NULL,      -- Rackbeat order / purchase order number
    lines            jsonb       NOT NULL,      -- [{ongoing_line_id, rackbeat_line_id, quantity, reported_to}]
    known_documents  jsonb       NOT NULL,      -- Rackbeat shipment/receipt ids that existed before: a new one is ours
    rackbeat_document_id bigint,                -- the Rackbeat shipment / receipt, once created or found
    state            text        NOT NULL CHECK (state IN ('intended', 'created', 'completed', 'reported')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- At most one unfinished delivery per Ongoing document: a re-run resumes it instead of starting another.
CREATE UNIQUE INDEX ongoing_deliveries_open ON ongoing_deliveries (connection, kind, ongoing_id)
    WHERE state <> 'reported';

-- One row per Ongoing inventory adjustment line (inventory, article) applied to Rackbeat.
CREATE TABLE ongoing_adjustments (
    connection             text        NOT NULL,
    inventory_id           bigint      NOT NULL,
    article_system_id      bigint      NOT NULL,
    article_number         text        NOT NULL,
    quantity               numeric     NOT NULL,   -- the signed delta
    rackbeat_adjustment_id bigint,
    state                  text        NOT NULL CHECK (state IN ('intended', 'booked', 'reported')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection, inventory_id, article_system_id)
);
