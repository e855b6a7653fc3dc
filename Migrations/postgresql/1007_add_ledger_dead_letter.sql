-- A worker's rejection is owed a dead letter on <topic>.dlq. DeadLetterClaimedAt is set on the row
-- when it is recorded (the worker that recorded it publishes it right after the commit) and again
-- whenever a worker's sweep takes it over; DeadLetterAckedAt once the broker acknowledged it. Both
-- NULL: no dead letter is owed (lmsds load, outcomes other than rejected, and every row recorded
-- before this script, which counts as acknowledged so an upgrade does not resend old refusals).
ALTER TABLE lms.FileLedger ADD COLUMN DeadLetterClaimedAt timestamp NULL;
ALTER TABLE lms.FileLedger ADD COLUMN DeadLetterAckedAt timestamp NULL;

-- "Which dead letters were never acknowledged?" — asked every minute by every worker; only the
-- rows still owed are in the index, so the answer costs nothing however long the ledger grows.
CREATE INDEX ix_fileledger_dead_letter_owed ON lms.FileLedger (DeadLetterClaimedAt)
    WHERE DeadLetterClaimedAt IS NOT NULL AND DeadLetterAckedAt IS NULL;
