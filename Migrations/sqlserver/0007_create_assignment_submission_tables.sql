CREATE TABLE lms.AssignmentSubmission (
    AssignmentSubmissionIdentifier int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier         nvarchar(255) NOT NULL,
    SourceSystem                   nvarchar(255) NOT NULL,
    AssignmentIdentifier           int           NOT NULL,
    LMSUserIdentifier              int           NOT NULL,
    SubmissionStatus               nvarchar(255) NULL,
    SubmissionDateTime             datetime2     NULL,
    EarnedPoints                   int           NULL,
    Grade                          nvarchar(20)  NULL,
    SourceCreateDate               datetime2     NULL,
    SourceLastModifiedDate         datetime2     NULL,
    CreateDate                     datetime2     NOT NULL CONSTRAINT AssignmentSubmission_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate               datetime2     NOT NULL CONSTRAINT AssignmentSubmission_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt                      datetime2     NULL,
    CONSTRAINT AssignmentSubmission_PK PRIMARY KEY CLUSTERED (AssignmentSubmissionIdentifier),
    CONSTRAINT AssignmentSubmission_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT FK_AssignmentSubmission_Assignment FOREIGN KEY (AssignmentIdentifier)
        REFERENCES lms.Assignment (AssignmentIdentifier) ON DELETE CASCADE,
    CONSTRAINT FK_AssignmentSubmission_User FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
