CREATE TABLE LMSSection (
    LMSSectionIdentifier   INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier TEXT    NOT NULL,
    SourceSystem           TEXT    NOT NULL,
    SISSectionIdentifier   TEXT    NULL,
    Title                  TEXT    NOT NULL,
    SectionDescription     TEXT    NULL,
    Term                   TEXT    NULL,
    LMSSectionStatus       TEXT    NULL,
    -- Kept for parity with PostgreSQL, where the Ed-Fi LMS Harmonizer writes it.
    EdFiSectionId          TEXT    NULL,
    SourceCreateDate       TEXT    NULL,
    SourceLastModifiedDate TEXT    NULL,
    CreateDate             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt              TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
