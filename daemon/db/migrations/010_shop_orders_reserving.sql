-- The orders whose units are reserved (not yet in Rackbeat): few at any time, read on every stock push.
-- Without it the reservation join's plan flips while a burst grows the table faster than its statistics.
CREATE INDEX shop_orders_reserving ON shop_orders (shop_id, shop_order_id)
    WHERE rackbeat_order_number IS NULL AND state IN ('waiting', 'queued', 'parked');
