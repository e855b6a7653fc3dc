-- The section and the enrolment are optional: an event may be recorded for the user alone.
-- As in the Ed-Fi loader's table there is no foreign key to lms.LMSSection here.
CREATE TABLE lms.LMSUserAttendanceEvent (
    LMSUserAttendanceEventIdentifier       integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier                 varchar(255) NOT NULL,
    SourceSystem                           varchar(255) NOT NULL,
    LMSUserIdentifier                      integer      NOT NULL,
    LMSSectionIdentifier                   integer      NULL,
    LMSUserLMSSectionAssociationIdentifier integer      NULL,
    EventDate                              date         NOT NULL,
    AttendanceStatus                       varchar(60)  NOT NULL,
    SourceCreateDate                       timestamp    NULL,
    SourceLastModifiedDate                 timestamp    NULL,
    DeletedAt                              timestamp    NULL,
    CreateDate                             timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate                       timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT lmsuserattendanceevent_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT lmsuserattendanceevent_user_fk FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier),
    CONSTRAINT lmsuserattendanceevent_association_fk FOREIGN KEY (LMSUserLMSSectionAssociationIdentifier)
        REFERENCES lms.LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier)
);

-- The section index leads with LMSSectionIdentifier, so it also serves the per-section scope of an
-- attendance file; an Ed-Fi-built database has equivalent indexes.
CREATE INDEX ix_lmsuserattendanceevent_user
    ON lms.LMSUserAttendanceEvent (LMSUserIdentifier);
CREATE INDEX ix_lmsuserattendanceevent_section_user
    ON lms.LMSUserAttendanceEvent (LMSSectionIdentifier, LMSUserIdentifier, LMSUserLMSSectionAssociationIdentifier);
