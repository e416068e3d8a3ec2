"""Waterfall's Python client: the same configuration as Waterfall's Java library, read and written
from Python with the standard library alone.

    from waterfall_config import Config
    config = Config("pipeline", defaults={"server.port": 80})
    port = config.get("server.port")        # Resolved: .value, .origin ("env PIPELINE_SERVER_PORT", ...)
    config.set("server.port", 8081)         # locked, durable, recorded in the history as "python"
"""

from ._json import Number
from .config import Config, Explanation, Origin, Resolved, config_directory
from .errors import (InvalidKeyError, InvalidValueError, KeyConflictError, RevisionConflictError, SecretError,
                     StoreBrokenError, StoreUnavailableError, WaterfallError)
from .stores import ABSENT, ANY, Change, Entry, open_store

__all__ = ["Config", "Explanation", "Origin", "Resolved", "config_directory", "Number", "Change", "Entry", "open_store",
           "ANY", "ABSENT", "WaterfallError", "InvalidKeyError", "InvalidValueError", "KeyConflictError",
           "RevisionConflictError", "SecretError", "StoreBrokenError", "StoreUnavailableError"]
