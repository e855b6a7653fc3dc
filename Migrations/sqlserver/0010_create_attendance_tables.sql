-- The section and the enrolment are optional: an event may be recorded for the user alone. As in the
-- Ed-Fi loader's table there is no foreign key to lms.LMSSection, and no cascade (SQL Server refuses a
-- second cascade path from lms.LMSUser).
CREATE TABLE lms.LMSUserAttendanceEvent (
    LMSUserAttendanceEventIdentifier       int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier                 nvarchar(255) NOT NULL,
    SourceSystem                           nvarchar(255) NOT NULL,
    LMSUserIdentifier                      int           NOT NULL,
    LMSSectionIdentifier                   int           NULL,
    LMSUserLMSSectionAssociationIdentifier int           NULL,
    EventDate                              date          NOT NULL,
    AttendanceStatus                       nvarchar(60)  NOT NULL,
    SourceCreateDate                       datetime2     NULL,
    SourceLastModifiedDate                 datetime2     NULL,
    DeletedAt                              datetime2     NULL,
    CreateDate                             datetime2     NOT NULL CONSTRAINT LMSUserAttendanceEvent_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate                       datetime2     NOT NULL CONSTRAINT LMSUserAttendanceEvent_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT LMSUserAttendanceEvent_PK PRIMARY KEY CLUSTERED (LMSUserAttendanceEventIdentifier),
    CONSTRAINT LMSUserAttendanceEvent_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT FK_LMSUserAttendanceEvent_LMSUser FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier),
    CONSTRAINT FK_LMSUserAttendanceEvent_LMSUserLMSSectionAssociation
        FOREIGN KEY (LMSUserLMSSectionAssociationIdentifier)
        REFERENCES lms.LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier)
);

-- The second index leads with LMSSectionIdentifier, so it also serves an attendance file's section scope.
CREATE NONCLUSTERED INDEX FK_LMSUserAttendanceEvent_LMSUser
    ON lms.LMSUserAttendanceEvent (LMSUserIdentifier);
CREATE NONCLUSTERED INDEX FK_LMSUserAttendanceEvent_LMSUserLMSSectionAssociation
    ON lms.LMSUserAttendanceEvent (LMSSectionIdentifier, LMSUserIdentifier, LMSUserLMSSectionAssociationIdentifier);
