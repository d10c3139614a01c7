-- Durable job queue. A job is claimed under a lease; a dead worker's job is claimed again after it.
CREATE TABLE jobs (
    id           bigserial PRIMARY KEY,
    kind         text        NOT NULL,
    connection   text,                         -- shop id, 'rackbeat', ...: per-connection fairness
    payload      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    dedupe_key   text,                         -- at most one *pending* job per key
    state        text        NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'running', 'done', 'failed', 'merged')),
    attempts     integer     NOT NULL DEFAULT 0,
    max_attempts integer     NOT NULL DEFAULT 12 CHECK (max_attempts >= 1),
    run_at       timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz,
    locked_by    text,
    last_error   text,
    blocked_on   text,                         -- 'sku:ABC': a failed job waiting for that to exist
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);

CREATE UNIQUE INDEX jobs_pending_dedupe ON jobs (dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;
CREATE INDEX jobs_claimable ON jobs (run_at, id) WHERE state = 'pending';
CREATE INDEX jobs_running_lease ON jobs (lease_until) WHERE state = 'running';
CREATE INDEX jobs_failed ON jobs (updated_at) WHERE state = 'failed';
CREATE INDEX jobs_blocked ON jobs (blocked_on) WHERE state = 'failed' AND blocked_on IS NOT NULL;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE state IN ('done', 'merged');

-- Wakes idle workers (LISTEN rbsync_jobs) whenever a statement leaves a job pending, whoever wrote it:
-- enqueue, the webhook listener's own INSERT, a retry, a released lease. Once per statement, delivered on commit.
CREATE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_jobs WHERE state = 'pending') THEN
        PERFORM pg_notify('rbsync_jobs', '');
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS changed_jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();
CREATE TRIGGER jobs_notify_update AFTER UPDATE ON jobs
    REFERENCING NEW TABLE AS changed_jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();
