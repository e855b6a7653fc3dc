-- Grades are in the LMS-UDM but the Ed-Fi loader never loaded them (lms-udm §3).
CREATE TABLE lms.LMSGrade (
    LMSGradeIdentifier                     integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier                 varchar(255) NOT NULL,
    SourceSystem                           varchar(255) NOT NULL,
    LMSUserLMSSectionAssociationIdentifier integer      NOT NULL,
    Grade                                  varchar(20)  NULL,
    GradeType                              varchar(60)  NULL,
    SourceCreateDate                       timestamp    NULL,
    SourceLastModifiedDate                 timestamp    NULL,
    CreateDate                             timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate                       timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt                              timestamp    NULL,
    CONSTRAINT lmsgrade_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT lmsgrade_association_fk FOREIGN KEY (LMSUserLMSSectionAssociationIdentifier)
        REFERENCES lms.LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier)
);

-- A grades file speaks for one section: its merge reaches the grades through their enrolments.
CREATE INDEX ix_lmsgrade_association
    ON lms.LMSGrade (LMSUserLMSSectionAssociationIdentifier);
