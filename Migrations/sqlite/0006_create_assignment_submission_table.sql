CREATE TABLE AssignmentSubmission (
    AssignmentSubmissionIdentifier INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier         TEXT    NOT NULL,
    SourceSystem                   TEXT    NOT NULL,
    AssignmentIdentifier           INTEGER NOT NULL REFERENCES Assignment (AssignmentIdentifier),
    LMSUserIdentifier              INTEGER NOT NULL REFERENCES LMSUser (LMSUserIdentifier),
    SubmissionStatus               TEXT    NULL,
    SubmissionDateTime             TEXT    NULL,
    EarnedPoints                   INTEGER NULL,
    Grade                          TEXT    NULL,
    SourceCreateDate               TEXT    NULL,
    SourceLastModifiedDate         TEXT    NULL,
    CreateDate                     TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate               TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt                      TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
