CREATE TABLE lms.Assignment (
    AssignmentIdentifier   int            NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier nvarchar(255)  NOT NULL,
    SourceSystem           nvarchar(255)  NOT NULL,
    LMSSectionIdentifier   int            NOT NULL,
    Title                  nvarchar(255)  NOT NULL,
    AssignmentCategory     nvarchar(60)   NOT NULL,
    AssignmentDescription  nvarchar(1024) NULL,
    StartDateTime          datetime2      NULL,
    EndDateTime            datetime2      NULL,
    DueDateTime            datetime2      NULL,
    MaxPoints              int            NULL,
    SourceCreateDate       datetime2      NULL,
    SourceLastModifiedDate datetime2      NULL,
    CreateDate             datetime2      NOT NULL CONSTRAINT Assignment_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate       datetime2      NOT NULL CONSTRAINT Assignment_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt              datetime2      NULL,
    CONSTRAINT Assignment_PK PRIMARY KEY CLUSTERED (AssignmentIdentifier),
    CONSTRAINT Assignment_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    -- Rows are only ever soft-deleted; the cascade is what the Ed-Fi schema does on a hand delete.
    CONSTRAINT FK_Assignment_LMSSection FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE
);

-- No identity and no natural key: a type belongs to its assignment (lms-udm §3).
CREATE TABLE lms.AssignmentSubmissionType (
    AssignmentIdentifier int          NOT NULL,
    SubmissionType       nvarchar(60) NOT NULL,
    CreateDate           datetime2    NOT NULL CONSTRAINT AssignmentSubmissionType_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt            datetime2    NULL,
    CONSTRAINT AssignmentSubmissionType_PK PRIMARY KEY CLUSTERED (AssignmentIdentifier, SubmissionType),
    CONSTRAINT FK_AssignmentSubmissionType_Assignment FOREIGN KEY (AssignmentIdentifier)
        REFERENCES lms.Assignment (AssignmentIdentifier) ON DELETE CASCADE
);

CREATE NONCLUSTERED INDEX FK_AssignmentSubmissionType_Assignment
    ON lms.AssignmentSubmissionType (AssignmentIdentifier);
