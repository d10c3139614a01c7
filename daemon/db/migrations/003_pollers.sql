-- One row per (connection, stream): where the next poll window starts and when the stream is due.
-- Every process polling the same database reads and writes this row under an advisory lock, so the
-- schedule is shared: a stream runs once per interval however many daemons are up.
CREATE TABLE poll_cursors (
    connection       text        NOT NULL,
    stream           text        NOT NULL,
    cursor_at        timestamptz,              -- next window starts here (previous run start - overlap)
    next_run_at      timestamptz,              -- due from then on; NULL = due now
    last_run_at      timestamptz,              -- start of the latest attempt (the window's end)
    last_success_at  timestamptz,
    last_error       text,
    failures         integer     NOT NULL DEFAULT 0,   -- consecutive failed runs, for the retry backoff
    items_last_run   integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (connection, stream)
);
