CREATE TABLE LMSGrade (
    LMSGradeIdentifier                     INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier                 TEXT    NOT NULL,
    SourceSystem                           TEXT    NOT NULL,
    LMSUserLMSSectionAssociationIdentifier INTEGER NOT NULL
        REFERENCES LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier),
    Grade                                  TEXT    NULL,
    GradeType                              TEXT    NULL,
    SourceCreateDate                       TEXT    NULL,
    SourceLastModifiedDate                 TEXT    NULL,
    CreateDate                             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate                       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    DeletedAt                              TEXT    NULL,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
