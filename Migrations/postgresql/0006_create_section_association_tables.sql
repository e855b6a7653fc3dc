CREATE TABLE lms.LMSUserLMSSectionAssociation (
    LMSUserLMSSectionAssociationIdentifier integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    LMSSectionIdentifier                   integer      NOT NULL,
    LMSUserIdentifier                      integer      NOT NULL,
    SourceSystemIdentifier                 varchar(255) NOT NULL,
    SourceSystem                           varchar(255) NOT NULL,
    EnrollmentStatus                       varchar(60)  NOT NULL,
    SourceCreateDate                       timestamp    NULL,
    SourceLastModifiedDate                 timestamp    NULL,
    CreateDate                             timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate                       timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt                              timestamp    NULL,
    CONSTRAINT lmsuserlmssectionassociation_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT lmsuserlmssectionassociation_section_fk FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE,
    CONSTRAINT lmsuserlmssectionassociation_user_fk FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
