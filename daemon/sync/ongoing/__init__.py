"""Rackbeat ↔ Ongoing WMS: products, orders and purchase orders out; shipments, receipts and stock
adjustments back, only for the Rackbeat location mapped to each warehouse."""
