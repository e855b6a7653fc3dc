-- Constraint names are the Ed-Fi loader's, so later scripts can name them on either kind of database.
-- EdFiStudentId arrives in 0012, as it did in the loader's history.
CREATE TABLE lms.LMSUser (
    LMSUserIdentifier      int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier nvarchar(255) NOT NULL,
    SourceSystem           nvarchar(255) NOT NULL,
    UserRole               nvarchar(60)  NOT NULL,
    SISUserIdentifier      nvarchar(255) NULL,
    LocalUserIdentifier    nvarchar(255) NULL,
    Name                   nvarchar(255) NOT NULL,
    EmailAddress           nvarchar(255) NOT NULL,
    SourceCreateDate       datetime2     NULL,
    SourceLastModifiedDate datetime2     NULL,
    CreateDate             datetime2     NOT NULL CONSTRAINT LMSUser_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate       datetime2     NOT NULL CONSTRAINT LMSUser_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt              datetime2     NULL,
    CONSTRAINT LMSUser_PK PRIMARY KEY CLUSTERED (LMSUserIdentifier),
    CONSTRAINT UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem)
);
