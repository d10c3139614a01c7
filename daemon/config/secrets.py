"""Secrets in the config file: literal, ``env:NAME`` or ``file:NAME`` (systemd ``LoadCredential=``).

Every resolved secret is registered with the log redactor, so a token that slips into a log line is
masked even under a key the redactor does not know.
"""

from __future__ import annotations

import os
from pathlib import Path

from daemon.logs.redact import register_secret


class SecretError(ValueError):
    """A secret reference that cannot be resolved; the message says what to fix."""


def resolve_secret(value: str) -> str:
    if value.startswith("env:"):
        name = value[4:]
        if name not in os.environ:
            raise SecretError(f"environment variable {name} is not set")
        resolved = os.environ[name]
    elif value.startswith("file:"):
        name = value[5:]
        directory = os.environ.get("CREDENTIALS_DIRECTORY")
        if not directory:
            raise SecretError(f"file:{name} needs $CREDENTIALS_DIRECTORY (systemd LoadCredential=)")
        path = Path(directory) / name
        if not path.is_file():
            raise SecretError(f"credential file {path} does not exist")
        resolved = path.read_text().strip()
    else:
        resolved = value
    register_secret(resolved)
    return resolved
