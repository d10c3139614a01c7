"""All HTTP of the daemon: per-connection rate limiting, retries and typed errors."""

from daemon.http.client import ApiClient
from daemon.http.ratelimit import RateLimiter, RateLimiters
from daemon.http.response import ApiResponse

__all__ = ["ApiClient", "ApiResponse", "RateLimiter", "RateLimiters"]
