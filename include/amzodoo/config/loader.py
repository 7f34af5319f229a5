"""Reading and validating the connector's YAML configuration file."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from amzodoo.config.model import ConnectorConfig

CONFIG_ENV = "AMZODOO_CONFIG"


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and every bad field."""


def _location(loc: tuple[object, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(top level)"


def _describe(path: Path, error: ValidationError) -> str:
    lines = [f"{path}: invalid connector configuration"]
    for err in error.errors():
        loc = tuple(err.get("loc", ()))
        where = _location(loc)
        if len(loc) >= 2 and loc[0] == "accounts":
            field = _location(loc[2:]) if len(loc) > 2 else "(account)"
            where = f"account {loc[1]!r}, field {field}"
        lines.append(f"  - {where}: {err['msg']}")
    return "\n".join(lines)


def parse_config(text: str, path: Path) -> ConnectorConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with an 'accounts' key at the top level")
    try:
        return ConnectorConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None


def load_config(default_path: str | os.PathLike[str]) -> ConnectorConfig:
    """Load $AMZODOO_CONFIG if set, else ``default_path`` (the DAG factories pass their neighbour file)."""
    chosen = Path(os.environ.get(CONFIG_ENV) or default_path)
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{chosen}: cannot read connector configuration: {exc.strerror}") from None
    return parse_config(text, chosen)

