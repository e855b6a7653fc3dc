-- A worker's rejection is owed a dead letter on <topic>.dlq. DeadLetterClaimedAt is set on the row
-- when it is recorded (the worker that recorded it publishes it right after the commit) and again
-- whenever a worker's sweep takes it over; DeadLetterAckedAt once the broker acknowledged it. Both
-- NULL: no dead letter is owed (lmsds load, outcomes other than rejected, and every row recorded
-- before this script, which counts as acknowledged so an upgrade does not resend old refusals).
ALTER TABLE lms.FileLedger ADD DeadLetterClaimedAt datetime2 NULL;
ALTER TABLE lms.FileLedger ADD DeadLetterAckedAt datetime2 NULL;

-- "Which dead letters were never acknowledged?" — asked every minute by every worker; only the
-- rows still owed are in the filtered index.
-- The columns are new in this batch, so the index is compiled on its own, after them.
EXEC sys.sp_executesql N'CREATE NONCLUSTERED INDEX IX_FileLedger_DeadLetterOwed
    ON lms.FileLedger (DeadLetterClaimedAt)
    WHERE DeadLetterClaimedAt IS NOT NULL AND DeadLetterAckedAt IS NULL';
