CREATE TABLE lms.Assignment (
    AssignmentIdentifier   integer       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier varchar(255)  NOT NULL,
    SourceSystem           varchar(255)  NOT NULL,
    LMSSectionIdentifier   integer       NOT NULL,
    Title                  varchar(255)  NOT NULL,
    AssignmentCategory     varchar(60)   NOT NULL,
    AssignmentDescription  varchar(1024) NULL,
    StartDateTime          timestamp     NULL,
    EndDateTime            timestamp     NULL,
    DueDateTime            timestamp     NULL,
    MaxPoints              integer       NULL,
    SourceCreateDate       timestamp     NULL,
    SourceLastModifiedDate timestamp     NULL,
    CreateDate             timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate       timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt              timestamp     NULL,
    CONSTRAINT assignment_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    -- Rows are only ever soft-deleted; the cascade matches what an Ed-Fi-built database does if
    -- someone deletes by hand.
    CONSTRAINT assignment_section_fk FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE
);

-- No identity and no natural key: a type belongs to its assignment (lms-udm §3).
CREATE TABLE lms.AssignmentSubmissionType (
    AssignmentIdentifier integer     NOT NULL,
    SubmissionType       varchar(60) NOT NULL,
    CreateDate           timestamp   NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt            timestamp   NULL,
    CONSTRAINT assignmentsubmissiontype_pk PRIMARY KEY (AssignmentIdentifier, SubmissionType),
    CONSTRAINT assignmentsubmissiontype_assignment_fk FOREIGN KEY (AssignmentIdentifier)
        REFERENCES lms.Assignment (AssignmentIdentifier) ON DELETE CASCADE
);
