-- What the product flow last wrote or accepted per (shop, SKU) and side, as a hash of the synced
-- fields: a change arriving with the same hash is our own write coming back (or a no-op), not news.
CREATE TABLE product_fingerprints (
    shop_id      text        NOT NULL,
    sku          text        NOT NULL,
    side         text        NOT NULL CHECK (side IN ('shop', 'rackbeat')),
    fingerprint  text        NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, sku, side)
);

-- One initial sync of a shop into Rackbeat. An unfinished run is resumed from its page cursor.
CREATE TABLE initial_sync_runs (
    id           bigserial   PRIMARY KEY,
    shop_id      text        NOT NULL,
    products     boolean     NOT NULL,
    stock        boolean     NOT NULL,
    page_cursor  text,                      -- where the next unfinished page starts (NULL = the start)
    pages_done   integer     NOT NULL DEFAULT 0,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

CREATE UNIQUE INDEX initial_sync_runs_open ON initial_sync_runs (shop_id) WHERE finished_at IS NULL;

-- Per shop variant: what the initial sync did with it. Marks survive runs, so nothing happens twice.
CREATE TABLE initial_sync_items (
    shop_id          text        NOT NULL,
    variant_id       text        NOT NULL,
    sku              text        NOT NULL,
    product_outcome  text        CHECK (product_outcome IN ('creating', 'created', 'linked', 'skipped')),
    product_run      bigint,
    stock_outcome    text        CHECK (stock_outcome IN ('adjusted', 'unchanged', 'skipped')),
    stock_run        bigint,
    reason           text,                  -- why it was skipped
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, variant_id)
);

CREATE INDEX initial_sync_items_sku ON initial_sync_items (shop_id, sku);
