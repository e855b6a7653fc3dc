-- StartDate and EndDate existed until the Ed-Fi loader's 0011 removed them; they are created here and
-- dropped by our 0011 too, so that a database the loader left at 0010 ends in the same shape.
CREATE TABLE lms.LMSUserLMSSectionAssociation (
    LMSSectionIdentifier                   int           NOT NULL,
    LMSUserIdentifier                      int           NOT NULL,
    LMSUserLMSSectionAssociationIdentifier int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier                 nvarchar(255) NOT NULL,
    SourceSystem                           nvarchar(255) NOT NULL,
    EnrollmentStatus                       nvarchar(60)  NOT NULL,
    StartDate                              datetime2     NULL,
    EndDate                                datetime2     NULL,
    SourceCreateDate                       datetime2     NULL,
    SourceLastModifiedDate                 datetime2     NULL,
    CreateDate                             datetime2     NOT NULL CONSTRAINT LMSUserLMSSectionAssociation_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate                       datetime2     NOT NULL CONSTRAINT LMSUserLMSSectionAssociation_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt                              datetime2     NULL,
    CONSTRAINT LMSUserLMSSectionAssociation_PK PRIMARY KEY CLUSTERED (LMSUserLMSSectionAssociationIdentifier),
    CONSTRAINT LMSUserLMSSectionAssociation_DF_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT FK_LMSUserLMSSectionAssociation_LMSSection FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE,
    CONSTRAINT FK_LMSUserLMSSectionAssociation_LMSUser FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
