-- The dirty set becomes append-only: a mark is a new row, never an update of a (shop, SKU) row. Marks of
-- the few SKUs in a burst of orders no longer queue behind each other's row locks until each commit.
-- A push reads every mark of a SKU and deletes exactly those it read; later marks stay.
ALTER TABLE stock_dirty RENAME TO stock_dirty_v1;

CREATE TABLE stock_dirty (
    mark      bigint      PRIMARY KEY DEFAULT nextval('stock_dirty_marks'),
    shop_id   text        NOT NULL,
    sku       text        NOT NULL,
    force     boolean     NOT NULL DEFAULT false,   -- push even when equal to the last pushed value
    marked_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX stock_dirty_shop_sku ON stock_dirty (shop_id, sku);

INSERT INTO stock_dirty (mark, shop_id, sku, force, marked_at)
SELECT mark, shop_id, sku, force, marked_at FROM stock_dirty_v1;

DROP TABLE stock_dirty_v1;
