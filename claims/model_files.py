"""Reading the model files claimbeam ships (stance, attribution): plain JSON, checked before use."""
from __future__ import annotations

import json
from importlib import resources


def read_spec(data: bytes, fmt: str, version: int, error: type[ValueError], what: str) -> dict:
    """A model file's JSON object, once it is JSON, of format `fmt` and of the version this claimbeam reads;
    `error` (with a one-line message) otherwise."""
    try:
        spec = json.loads(data)
    except ValueError as err:
        raise error(f"not a JSON file ({err})") from None
    if not isinstance(spec, dict) or spec.get("format") != fmt:
        raise error(f"not a claimbeam {what} (expected \"format\": \"{fmt}\")")
    if spec.get("format_version") != version:
        raise error(f"format version {spec.get('format_version')!r}; this claimbeam reads {version}")
    return spec


def shipped_path(name: str) -> str:
    """Where the package keeps the model file `name` (claims/models/)."""
    return str(resources.files("claims") / "models" / name)
