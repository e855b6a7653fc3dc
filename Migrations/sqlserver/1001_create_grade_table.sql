-- Grades are in the LMS-UDM but the Ed-Fi loader never loaded them (lms-udm §3). Text is nvarchar
-- like the loader's other tables. No cascade: SQL Server refuses a second cascade path from the
-- section and the user through their association, and rows are only ever soft-deleted anyway.
CREATE TABLE lms.LMSGrade (
    LMSGradeIdentifier                     int           NOT NULL IDENTITY(1, 1),
    SourceSystemIdentifier                 nvarchar(255) NOT NULL,
    SourceSystem                           nvarchar(255) NOT NULL,
    LMSUserLMSSectionAssociationIdentifier int           NOT NULL,
    Grade                                  nvarchar(20)  NULL,
    GradeType                              nvarchar(60)  NULL,
    SourceCreateDate                       datetime2     NULL,
    SourceLastModifiedDate                 datetime2     NULL,
    CreateDate                             datetime2     NOT NULL CONSTRAINT LMSGrade_DF_CreateDate DEFAULT (SYSUTCDATETIME()),
    LastModifiedDate                       datetime2     NOT NULL CONSTRAINT LMSGrade_DF_LastModifiedDate DEFAULT (SYSUTCDATETIME()),
    DeletedAt                              datetime2     NULL,
    CONSTRAINT LMSGrade_PK PRIMARY KEY CLUSTERED (LMSGradeIdentifier),
    CONSTRAINT LMSGrade_UK_SourceSystem UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT FK_LMSGrade_LMSUserLMSSectionAssociation FOREIGN KEY (LMSUserLMSSectionAssociationIdentifier)
        REFERENCES lms.LMSUserLMSSectionAssociation (LMSUserLMSSectionAssociationIdentifier)
);

-- A grades file speaks for one section: its merge reaches the grades through their enrolments.
CREATE NONCLUSTERED INDEX IX_LMSGrade_Association
    ON lms.LMSGrade (LMSUserLMSSectionAssociationIdentifier);
