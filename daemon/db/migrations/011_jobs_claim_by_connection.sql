-- Claims walk the pending jobs one connection at a time: a backlog of one connection that may not run
-- more jobs right now (thousands of transfers waiting for Rackbeat) is no longer scanned on every claim.
CREATE INDEX jobs_claimable_by_connection ON jobs (connection, run_at, id) WHERE state = 'pending';
