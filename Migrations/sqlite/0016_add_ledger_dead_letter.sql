-- A worker's rejection is owed a dead letter on <topic>.dlq. DeadLetterClaimedAt is set on the row
-- when it is recorded (the worker that recorded it publishes it right after the commit) and again
-- whenever a worker's sweep takes it over; DeadLetterAckedAt once the broker acknowledged it. Both
-- NULL: no dead letter is owed (lmsds load, outcomes other than rejected, and every row recorded
-- before this script, which counts as acknowledged so an upgrade does not resend old refusals).
ALTER TABLE FileLedger ADD COLUMN DeadLetterClaimedAt TEXT NULL;
ALTER TABLE FileLedger ADD COLUMN DeadLetterAckedAt TEXT NULL;

-- "Which dead letters were never acknowledged?" — asked every minute by every worker; only the
-- rows still owed are in the index.
CREATE INDEX ix_fileledger_dead_letter_owed ON FileLedger (DeadLetterClaimedAt)
    WHERE DeadLetterClaimedAt IS NOT NULL AND DeadLetterAckedAt IS NULL;
