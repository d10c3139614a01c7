"""In-process emulator of the Rackbeat REST API (``/api``) for end-to-end tests and benchmarks."""

from .app import RackbeatEmulator
from .seed import RackbeatSeed
from .state import RackbeatState

__all__ = ["RackbeatEmulator", "RackbeatSeed", "RackbeatState"]
