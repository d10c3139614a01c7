-- One row per (connection, stream): where the next poll window starts and how the last run went.
CREATE TABLE poll_cursors (
    connection       text        NOT NULL,
    stream           text        NOT NULL,
    cursor_at        timestamptz,              -- next window starts here (previous run start - overlap)
    last_run_at      timestamptz,
    last_success_at  timestamptz,
    last_error       text,
    items_last_run   integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (connection, stream)
);
