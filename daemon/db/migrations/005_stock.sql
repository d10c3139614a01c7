-- Stock sync: where each SKU lives in each shop, what was last pushed there, and what must be pushed next.

-- One row per stock-carrying item in a shop (Shopify inventory item, Woo product or variation). SKUs are
-- not unique in a shop, so (shop_id, sku) is only indexed: a SKU with two rows is a duplicate, never pushed.
CREATE TABLE stock_links (
    shop_id    text        NOT NULL,
    item_id    text        NOT NULL,   -- Shopify InventoryItem gid | Woo product or variation id
    sku        text        NOT NULL,
    variant_id text        NOT NULL,   -- Shopify ProductVariant gid | Woo product or variation id
    product_id text,                   -- Shopify Product gid | Woo parent id of a variation (NULL: simple product)
    seen_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, item_id)
);

CREATE INDEX stock_links_sku ON stock_links (shop_id, sku);
CREATE INDEX stock_links_product ON stock_links (shop_id, product_id);

-- The last quantity pushed per (shop, SKU): a value equal to it is not pushed again.
CREATE TABLE stock_levels (
    shop_id   text        NOT NULL,
    sku       text        NOT NULL,
    quantity  integer     NOT NULL,
    pushed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, sku)
);

-- The dirty set: (shop, SKU) pairs whose shown quantity may be wrong. ``mark`` changes on every new mark,
-- so a push clears only the marks it read and a change that arrives during the push is pushed again.
CREATE SEQUENCE stock_dirty_marks;

CREATE TABLE stock_dirty (
    shop_id   text        NOT NULL,
    sku       text        NOT NULL,
    mark      bigint      NOT NULL DEFAULT nextval('stock_dirty_marks'),
    force     boolean     NOT NULL DEFAULT false,   -- push even when equal to the last pushed value
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop_id, sku)
);

CREATE INDEX stock_dirty_order ON stock_dirty (shop_id, mark);
