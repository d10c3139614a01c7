-- Durable job queue. A job is claimed under a lease; a dead worker's job is claimed again after it.
CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text        NOT NULL,
    connection   text,                         -- shop id, 'rackbeat', ...: per-connection fairness
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    dedupe_key   text,                         -- at most one *pending* job per key
    state        text        NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'running', 'done', 'failed')),
    attempts     integer     NOT NULL DEFAULT 0,
    max_attempts integer     NOT NULL DEFAULT 12,
    run_at       timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz,
    locked_by    text,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

CREATE UNIQUE INDEX jobs_pending_dedupe ON jobs (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE state = 'pending';
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_failed ON jobs (updated_at) WHERE state = 'failed';
