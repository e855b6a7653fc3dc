CREATE TABLE LMSSystemActivity (
    LMSSystemActivityIdentifier  INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier       TEXT    NOT NULL,
    SourceSystem                 TEXT    NOT NULL,
    LMSUserIdentifier            INTEGER NOT NULL REFERENCES LMSUser (LMSUserIdentifier),
    ActivityType                 TEXT    NOT NULL,
    ActivityDateTime             TEXT    NOT NULL,
    ActivityStatus               TEXT    NOT NULL,
    ParentSourceSystemIdentifier TEXT    NULL,
    ActivityTimeInMinutes        INTEGER NULL,
    SourceCreateDate             TEXT    NULL,
    SourceLastModifiedDate       TEXT    NULL,
    DeletedAt                    TEXT    NULL,
    CreateDate                   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
