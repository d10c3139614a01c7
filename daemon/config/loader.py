"""Reads the TOML file, applies environment overrides and turns validation errors into key paths.

Environment overrides use ``RACKBEAT_SYNC__SECTION__KEY`` (e.g. ``RACKBEAT_SYNC__DAEMON__LISTEN``,
``RACKBEAT_SYNC__SHOPS__0__API_URL``); ``DATABASE_URL`` is honoured for ``daemon.database_url``.
Every problem is reported at once, as ``shops[1].type: must be one of shopify, woocommerce``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Mapping

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from daemon.config.model import Config

ENV_PREFIX = "RACKBEAT_SYNC__"


class ConfigError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _EnvOverrides(BaseSettings):
    """Collects ``RACKBEAT_SYNC__*`` variables as a nested dict (pydantic-settings does the parsing)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="allow")


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    environ = os.environ if environ is None else environ
    try:
        raw = tomllib.loads(Path(path).read_text())
    except FileNotFoundError:
        raise ConfigError([f"{path}: file not found"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    data = _merge(raw, _env_overrides(environ))
    if environ.get("DATABASE_URL") and f"{ENV_PREFIX}DAEMON__DATABASE_URL" not in environ:
        data.setdefault("daemon", {})["database_url"] = environ["DATABASE_URL"]
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_describe(err) for err in exc.errors()]) from None


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        parts = key[len(ENV_PREFIX):].lower().split("__")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge env overrides; a numeric key addresses a list item (``SHOPS__0__API_URL``)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, dict):
        merged_list = list(base)
        for key, value in override.items():
            if key.isdigit() and int(key) < len(merged_list):
                merged_list[int(key)] = _merge(merged_list[int(key)], value)
        return merged_list
    return override


def _describe(error: dict[str, Any]) -> str:
    path = _key_path(error["loc"])
    kind = error["type"]
    message = error["msg"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = ", ".join(part.strip(" '") for part in expected.replace(" or ", ",").split(","))
        message = f"must be one of {choices}"
    elif kind == "missing":
        message = "is required"
    elif kind == "extra_forbidden":
        message = "unknown key"
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    return f"{path}: {message}" if path else message


def _key_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "literal[")):
            path += f".{part}" if path else part
    return path
