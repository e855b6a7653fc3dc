-- 1 on a row that records a message whose file did not match it (size or SHA-256, before staging
-- or in the bytes staged). Such a row names the identity the message claimed, but no bytes of that
-- identity were ever read, so it must not make the identity known: the genuine file still loads.
ALTER TABLE lms.FileLedger ADD Mismatched smallint NOT NULL
    CONSTRAINT FileLedger_DF_Mismatched DEFAULT (0);
