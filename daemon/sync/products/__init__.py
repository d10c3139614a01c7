"""Products between Rackbeat and the shops, per shop in one direction (``products.master``), and the
one-way initial sync of a shop's catalogue into Rackbeat."""
