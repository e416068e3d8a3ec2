-- Waterfall's SQLite store, schema version 1. Tables are STRICT: a value of the wrong type is refused.

-- One row per namespace: the revision of its last write. Writers update it in their transaction.
CREATE TABLE namespaces (
    namespace TEXT    NOT NULL PRIMARY KEY,
    revision  INTEGER NOT NULL CHECK (revision >= 0)
) STRICT, WITHOUT ROWID;

-- The current entries: the dotted key, the value as canonical JSON text, and a type label where JSON
-- alone cannot say it (date-times, inf/nan). Keys compare bytewise (BINARY), as Waterfall sorts them.
CREATE TABLE entries (
    namespace          TEXT    NOT NULL,
    key                TEXT    NOT NULL,
    value              TEXT    NOT NULL,
    type               TEXT,
    revision           INTEGER NOT NULL,
    updated_at         TEXT    NOT NULL,
    updated_by_surface TEXT    NOT NULL,
    updated_by_user    TEXT    NOT NULL,
    updated_by_host    TEXT    NOT NULL,
    updated_by_pid     INTEGER NOT NULL,
    PRIMARY KEY (namespace, key)
) STRICT, WITHOUT ROWID;

-- Every change of every key: who, when, the value before and after (NULL when absent).
CREATE TABLE history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    namespace  TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    at         TEXT    NOT NULL,
    by_surface TEXT    NOT NULL,
    by_user    TEXT    NOT NULL,
    by_host    TEXT    NOT NULL,
    by_pid     INTEGER NOT NULL,
    key        TEXT    NOT NULL,
    old_value  TEXT,
    old_type   TEXT,
    new_value  TEXT,
    new_type   TEXT
) STRICT;

CREATE INDEX history_by_revision ON history (namespace, revision);
CREATE INDEX history_by_key ON history (namespace, key, revision);
