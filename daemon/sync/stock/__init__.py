"""Stock sync: Rackbeat's available quantity, minus what shops sold that Rackbeat does not know yet, to every shop."""
