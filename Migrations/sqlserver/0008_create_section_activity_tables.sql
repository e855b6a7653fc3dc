CREATE TABLE lms.LMSSectionActivity (
    LMSSectionActivityIdentifier int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier       nvarchar(255) NOT NULL,
    SourceSystem                 nvarchar(255) NOT NULL,
    LMSUserIdentifier            int           NOT NULL,
    LMSSectionIdentifier         int           NOT NULL,
    ActivityType                 nvarchar(60)  NOT NULL,
    ActivityDateTime             datetime2     NOT NULL,
    ActivityStatus               nvarchar(60)  NOT NULL,
    ParentSourceSystemIdentifier nvarchar(255) NULL,
    ActivityTimeInMinutes        int           NULL,
    SourceCreateDate             datetime2     NULL,
    SourceLastModifiedDate       datetime2     NULL,
    DeletedAt                    datetime2     NULL,
    CreateDate                   datetime2     NOT NULL CONSTRAINT LMSSectionActivity_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate             datetime2     NOT NULL CONSTRAINT LMSSectionActivity_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT LMSSectionActivity_PK PRIMARY KEY CLUSTERED (LMSSectionActivityIdentifier),
    CONSTRAINT LMSSectionActivity_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT FK_LMSSectionActivity_LMSSection FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE,
    CONSTRAINT FK_LMSSectionActivity_LMSUser FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
