"""The exceptions of Waterfall's Python client; every message is one line naming what to fix."""


class WaterfallError(Exception):
    """Anything a user or a file can cause: a bad key, a broken store, a conflict."""


class InvalidKeyError(WaterfallError, ValueError):
    """A key that breaks the rule: segments of ASCII letters, digits, '_' or '-', joined by '.'."""


class InvalidValueError(WaterfallError, ValueError):
    """A value the store cannot hold."""


class StoreBrokenError(WaterfallError):
    """A store or layer file that does not parse; nothing was changed and no write replaces it."""

    def __init__(self, source, line, column, reason):
        where = f"{source}:{line}:{column}" if line else str(source)
        super().__init__(f"{where}: {reason}")
        self.source = str(source)
        self.line = line
        self.column = column
        self.reason = reason


class RevisionConflictError(WaterfallError):
    """A compare-and-set whose key is no longer at the expected revision; nothing was written."""

    def __init__(self, key, expected, actual):
        def said(revision):
            return f"{revision} (absent)" if revision == 0 else str(revision)
        super().__init__(f"conflict on {key}: expected revision {said(expected)} but it is at {said(actual)}; "
                         "another writer changed it, re-read and retry")
        self.key = key
        self.expected = expected
        self.actual = actual


class KeyConflictError(WaterfallError):
    """A key that would be both a value and a table (``a`` and ``a.b``)."""


class StoreUnavailableError(WaterfallError):
    """A store that cannot be reached or written (a lock held too long, a missing driver)."""


class SecretError(WaterfallError):
    """A ``${secret:NAME}`` value whose secret cannot be had."""
