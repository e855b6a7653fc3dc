CREATE TABLE Assignment (
    AssignmentIdentifier   INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier TEXT    NOT NULL,
    SourceSystem           TEXT    NOT NULL,
    LMSSectionIdentifier   INTEGER NOT NULL REFERENCES LMSSection (LMSSectionIdentifier),
    Title                  TEXT    NOT NULL,
    AssignmentCategory     TEXT    NOT NULL,
    AssignmentDescription  TEXT    NULL,
    StartDateTime          TEXT    NULL,
    EndDateTime            TEXT    NULL,
    DueDateTime            TEXT    NULL,
    MaxPoints              INTEGER NULL,
    SourceCreateDate       TEXT    NULL,
    SourceLastModifiedDate TEXT    NULL,
    CreateDate             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt              TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);

-- Belongs to its assignment: no identity, no natural key (lms-udm §3).
CREATE TABLE AssignmentSubmissionType (
    AssignmentIdentifier INTEGER NOT NULL REFERENCES Assignment (AssignmentIdentifier),
    SubmissionType       TEXT    NOT NULL,
    CreateDate           TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt            TEXT    NULL,
    PRIMARY KEY (AssignmentIdentifier, SubmissionType)
);
