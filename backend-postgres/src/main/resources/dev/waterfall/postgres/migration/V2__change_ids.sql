-- Schema version 2: the ids of recent writes (store-jdbc's ChangeLedger). Each write inserts its id
-- in its own transaction, so a writer whose connection broke while committing (a crash, a failover)
-- learns on the next server whether that write happened, and never makes it twice. Ids older than a
-- day are removed by later writes.
CREATE TABLE waterfall.changes (
    namespace text COLLATE "C" NOT NULL,
    change_id uuid        NOT NULL,
    revision  bigint      NOT NULL,
    at        timestamptz NOT NULL,
    PRIMARY KEY (namespace, change_id)
);

CREATE INDEX changes_by_time ON waterfall.changes (namespace, at);
