import io
import json

import structlog

from daemon.logs.redact import register_secret
from daemon.logs.setup import configure_logging


def capture(**event) -> dict:
    stream = io.StringIO()
    configure_logging("debug", json=True, stream=stream)
    structlog.get_logger().info("test.event", **event)
    return json.loads(stream.getvalue())


def test_secret_keys_are_masked_wherever_they_nest():
    line = capture(headers={"Authorization": "Bearer abc", "X-Shopify-Hmac-Sha256": "c2ln"}, access_token="t0k")
    assert line["headers"]["Authorization"] == "***"
    assert line["access_token"] == "***"
    assert line["event"] == "test.event" and line["level"] == "info" and "timestamp" in line


def test_registered_secret_values_are_masked_inside_text():
    register_secret("super-secret-token-42")
    line = capture(url="https://x/?consumer_secret=super-secret-token-42&page=2", note=["super-secret-token-42"])
    assert "super-secret-token-42" not in json.dumps(line)
    assert line["url"].endswith("consumer_secret=***&page=2")


def test_hmac_header_value_is_masked_by_key():
    line = capture(signature="abcdef==")
    assert line["signature"] == "***"
