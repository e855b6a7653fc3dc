CREATE TABLE lms.AssignmentSubmission (
    AssignmentSubmissionIdentifier integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier         varchar(255) NOT NULL,
    SourceSystem                   varchar(255) NOT NULL,
    AssignmentIdentifier           integer      NOT NULL,
    LMSUserIdentifier              integer      NOT NULL,
    SubmissionStatus               varchar(255) NULL,
    SubmissionDateTime             timestamp    NULL,
    EarnedPoints                   integer      NULL,
    Grade                          varchar(20)  NULL,
    SourceCreateDate               timestamp    NULL,
    SourceLastModifiedDate         timestamp    NULL,
    CreateDate                     timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate               timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt                      timestamp    NULL,
    CONSTRAINT assignmentsubmission_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT assignmentsubmission_assignment_fk FOREIGN KEY (AssignmentIdentifier)
        REFERENCES lms.Assignment (AssignmentIdentifier) ON DELETE CASCADE,
    CONSTRAINT assignmentsubmission_user_fk FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
