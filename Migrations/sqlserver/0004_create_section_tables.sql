-- EdFiSectionId arrives in 0012, as it did in the Ed-Fi loader's history.
CREATE TABLE lms.LMSSection (
    LMSSectionIdentifier   int            NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier nvarchar(255)  NOT NULL,
    SourceSystem           nvarchar(255)  NOT NULL,
    SISSectionIdentifier   nvarchar(255)  NULL,
    Title                  nvarchar(255)  NOT NULL,
    SectionDescription     nvarchar(1024) NULL,
    Term                   nvarchar(60)   NULL,
    LMSSectionStatus       nvarchar(60)   NULL,
    SourceCreateDate       datetime2      NULL,
    SourceLastModifiedDate datetime2      NULL,
    CreateDate             datetime2      NOT NULL CONSTRAINT LMSSection_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate       datetime2      NOT NULL CONSTRAINT LMSSection_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt              datetime2      NULL,
    CONSTRAINT LMSSection_PK PRIMARY KEY CLUSTERED (LMSSectionIdentifier),
    CONSTRAINT LMSSection_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem)
);
