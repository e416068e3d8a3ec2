"""The SQLite store's schema as the Java library makes it: Flyway's history table and the backend's
migration V1, copied byte for byte from
``backend-sqlite/src/main/resources/dev/waterfall/sqlite/migration/V1__entries_history_namespaces.sql``
(a test fails if the copy drifts). A database Python creates is one the Java library opens without
migrating, and whose Flyway history validates when a later Java version migrates it further."""

import zlib

SCRIPT = "V1__entries_history_namespaces.sql"
VERSION = "1"
DESCRIPTION = "entries history namespaces"

V1 = '''-- Waterfall's SQLite store, schema version 1. Tables are STRICT: a value of the wrong type is refused.

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
'''

# Flyway's own table, as Flyway 10 creates it on SQLite.
FLYWAY_HISTORY = '''CREATE TABLE IF NOT EXISTS "flyway_schema_history" (
    "installed_rank" INT NOT NULL PRIMARY KEY,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INT,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),
    "execution_time" INT NOT NULL,
    "success" BOOLEAN NOT NULL
)'''
FLYWAY_INDEX = 'CREATE INDEX "flyway_schema_history_s_idx" ON "flyway_schema_history" ("success")'


def checksum(script):
    """Flyway's checksum of a migration: CRC-32 over the UTF-8 bytes of its lines, without line ends, as a signed int."""
    crc = 0
    for line in script.splitlines():
        crc = zlib.crc32(line.encode("utf-8"), crc)
    return crc - (1 << 32) if crc >= 1 << 31 else crc


def statements(script):
    """The SQL statements of a script, one by one (``executescript`` would commit the caller's transaction)."""
    import sqlite3
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip() and not all(l.strip().startswith("--") or not l.strip() for l in pending.splitlines()):
        yield pending.strip()


def create(connection):
    """Creates the schema inside the caller's open transaction; the caller commits it with its first write."""
    connection.execute(FLYWAY_HISTORY)
    connection.execute(FLYWAY_INDEX)
    for statement in statements(V1):
        connection.execute(statement)
    connection.execute(
        'INSERT INTO "flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum",'
        ' "installed_by", "execution_time", "success") VALUES (1, ?, ?, \'SQL\', ?, ?, \'\', 0, 1)',
        (VERSION, DESCRIPTION, SCRIPT, checksum(V1)))
