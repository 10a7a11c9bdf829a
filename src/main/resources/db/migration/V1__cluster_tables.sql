-- Cluster mode (CONTRACT section 10): what one hub keeps under HMS_DATA_DIR, shared by every hub.

-- The ledger: the lines of ledger.jsonl, the same text and hash chain, seq 1, 2, 3... in commit order.
CREATE TABLE ledger_lines (
    seq        BIGINT PRIMARY KEY,
    hub        TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    line       TEXT NOT NULL,
    written_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_lines_event ON ledger_lines (event_id);

-- Every accepted event as received (events.jsonl); the last copy of an id is the one that runs.
CREATE TABLE event_lines (
    seq        BIGINT PRIMARY KEY,
    hub        TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    line       TEXT NOT NULL,
    written_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX event_lines_event ON event_lines (event_id);

-- Append-only, enforced here and not only by the hub's code: no UPDATE, DELETE or TRUNCATE.
CREATE FUNCTION hms_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;
CREATE TRIGGER ledger_lines_append_only BEFORE UPDATE OR DELETE ON ledger_lines
    FOR EACH ROW EXECUTE FUNCTION hms_append_only();
CREATE TRIGGER ledger_lines_no_truncate BEFORE TRUNCATE ON ledger_lines
    FOR EACH STATEMENT EXECUTE FUNCTION hms_append_only();
CREATE TRIGGER event_lines_append_only BEFORE UPDATE OR DELETE ON event_lines
    FOR EACH ROW EXECUTE FUNCTION hms_append_only();
CREATE TRIGGER event_lines_no_truncate BEFORE TRUNCATE ON event_lines
    FOR EACH STATEMENT EXECUTE FUNCTION hms_append_only();

-- An id taken by one hub's acceptance: the database decides a repeated id, whichever hub it reaches.
CREATE TABLE accepted_ids (
    event_id    TEXT PRIMARY KEY,
    hub         TEXT NOT NULL,
    lane_key    TEXT NOT NULL,
    accepted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The DLQ's entries (dlq/<id>.json) and the batch undo requests (batches/<id>.json). version numbers
-- every change in commit order (a removed entry keeps its row with body NULL), so each hub follows them.
CREATE TABLE documents (
    kind    TEXT NOT NULL,
    id      TEXT NOT NULL,
    body    BYTEA,
    version BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX documents_version ON documents (kind, version);
-- the next version is the highest of all kinds plus one: found by this index, not by reading the table
CREATE INDEX documents_any_version ON documents (version);

-- The hubs alive: each beats every second; its partitions are held as advisory locks on lock_pid's session.
CREATE TABLE hubs (
    instance_id  TEXT PRIMARY KEY,
    lock_pid     INTEGER,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
