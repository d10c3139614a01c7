"""WooCommerce REST API (``/wp-json/wc/v3``) emulator with webhooks, for end-to-end tests and benchmarks."""

from .app import WooEmulator
from .spec import SiteSpec, WooSeed

__all__ = ["SiteSpec", "WooEmulator", "WooSeed"]
