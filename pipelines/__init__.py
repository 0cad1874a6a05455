"""Beam transforms and the command line: each composite wraps rules from `claims/`.

From Python, `run_claimbeam(...)` runs the whole pipeline and returns the loaded output, and
`ExtractClaims(ClaimParams(...))` puts it inside a Beam pipeline of one's own. They are imported on first
use, so that `claimbeam report` and the command line's errors do not wait for Beam to load.
"""
from importlib import import_module

_PUBLIC = {"run_claimbeam": "pipelines.cli", "ClaimbeamError": "pipelines.cli", "ExtractClaims": "pipelines.pipeline",
           "ClaimParams": "pipelines.options"}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'pipelines' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
