CREATE TABLE LMSUserLMSSectionAssociation (
    LMSUserLMSSectionAssociationIdentifier INTEGER NOT NULL PRIMARY KEY,
    LMSSectionIdentifier                   INTEGER NOT NULL REFERENCES LMSSection (LMSSectionIdentifier),
    LMSUserIdentifier                      INTEGER NOT NULL REFERENCES LMSUser (LMSUserIdentifier),
    SourceSystemIdentifier                 TEXT    NOT NULL,
    SourceSystem                           TEXT    NOT NULL,
    EnrollmentStatus                       TEXT    NOT NULL,
    SourceCreateDate                       TEXT    NULL,
    SourceLastModifiedDate                 TEXT    NULL,
    CreateDate                             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate                       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt                              TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
