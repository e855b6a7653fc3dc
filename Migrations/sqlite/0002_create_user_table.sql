CREATE TABLE LMSUser (
    LMSUserIdentifier      INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier TEXT    NOT NULL,
    SourceSystem           TEXT    NOT NULL,
    UserRole               TEXT    NOT NULL,
    SISUserIdentifier      TEXT    NULL,
    LocalUserIdentifier    TEXT    NULL,
    Name                   TEXT    NOT NULL,
    EmailAddress           TEXT    NOT NULL,
    -- Kept for parity with PostgreSQL, where the Ed-Fi LMS Harmonizer writes it.
    EdFiStudentId          TEXT    NULL,
    SourceCreateDate       TEXT    NULL,
    SourceLastModifiedDate TEXT    NULL,
    CreateDate             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt              TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
