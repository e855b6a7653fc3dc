-- The section and the enrolment are optional: an event may be recorded for the user alone.
CREATE TABLE LMSUserAttendanceEvent (
    LMSUserAttendanceEventIdentifier       INTEGER NOT NULL PRIMARY KEY,
    SourceSystemIdentifier                 TEXT    NOT NULL,
    SourceSystem                           TEXT    NOT NULL,
    LMSUserIdentifier                      INTEGER NOT NULL REFERENCES LMSUser (LMSUserIdentifier),
    LMSSectionIdentifier                   INTEGER NULL,
    LMSUserLMSSectionAssociationIdentifier INTEGER NULL
        REFERENCES LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier),
    EventDate                              TEXT    NOT NULL,
    AttendanceStatus                       TEXT    NOT NULL,
    SourceCreateDate                       TEXT    NULL,
    SourceLastModifiedDate                 TEXT    NULL,
    DeletedAt                              TEXT    NULL,
    CreateDate                             TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    LastModifiedDate                       TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (SourceSystemIdentifier, SourceSystem)
);
