CREATE TABLE lms.LMSSection (
    LMSSectionIdentifier   integer       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier varchar(255)  NOT NULL,
    SourceSystem           varchar(255)  NOT NULL,
    SISSectionIdentifier   varchar(255)  NULL,
    Title                  varchar(255)  NOT NULL,
    SectionDescription     varchar(1024) NULL,
    Term                   varchar(60)   NULL,
    LMSSectionStatus       varchar(60)   NULL,
    -- Written by the Ed-Fi LMS Harmonizer, never by the loader.
    EdFiSectionId          uuid          NULL,
    SourceCreateDate       timestamp     NULL,
    SourceLastModifiedDate timestamp     NULL,
    CreateDate             timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate       timestamp     NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt              timestamp     NULL,
    CONSTRAINT lmssection_source_key UNIQUE (SourceSystemIdentifier, SourceSystem)
);

CREATE INDEX ix_lmssection_edfisectionid ON lms.LMSSection (EdFiSectionId)
    WHERE EdFiSectionId IS NOT NULL;
