-- Waterfall's PostgreSQL store, schema version 1, in its own schema "waterfall" so that it shares a
-- database with an application's tables without touching them. Keys and namespaces use the "C"
-- collation: they compare bytewise, as Waterfall sorts keys and as its range queries need.

-- One row per namespace: the revision of its last write. Each writer locks its namespace's row
-- first, which serializes the writers of one namespace and keeps revisions gapless.
CREATE TABLE waterfall.namespaces (
    namespace text COLLATE "C" NOT NULL PRIMARY KEY,
    revision  bigint NOT NULL CHECK (revision >= 0)
);

-- The current entries: the dotted key, the value as canonical JSON text (text, not jsonb, which
-- would reorder members and reject \u0000), and a type label where JSON alone cannot say it.
CREATE TABLE waterfall.entries (
    namespace          text COLLATE "C" NOT NULL,
    key                text COLLATE "C" NOT NULL,
    value              text        NOT NULL,
    type               text,
    revision           bigint      NOT NULL,
    updated_at         timestamptz NOT NULL,
    updated_by_surface text        NOT NULL,
    updated_by_user    text        NOT NULL,
    updated_by_host    text        NOT NULL,
    updated_by_pid     bigint      NOT NULL,
    PRIMARY KEY (namespace, key)
);

-- Every change of every key: who, when, the value before and after (NULL when absent).
CREATE TABLE waterfall.history (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace  text COLLATE "C" NOT NULL,
    revision   bigint      NOT NULL,
    at         timestamptz NOT NULL,
    by_surface text        NOT NULL,
    by_user    text        NOT NULL,
    by_host    text        NOT NULL,
    by_pid     bigint      NOT NULL,
    key        text COLLATE "C" NOT NULL,
    old_value  text,
    old_type   text,
    new_value  text,
    new_type   text
);

CREATE INDEX history_by_revision ON waterfall.history (namespace, revision);
CREATE INDEX history_by_key ON waterfall.history (namespace, key, revision);
