CREATE TABLE lms.LMSUser (
    LMSUserIdentifier      integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier varchar(255) NOT NULL,
    SourceSystem           varchar(255) NOT NULL,
    UserRole               varchar(60)  NOT NULL,
    SISUserIdentifier      varchar(255) NULL,
    LocalUserIdentifier    varchar(255) NULL,
    Name                   varchar(255) NOT NULL,
    EmailAddress           varchar(255) NOT NULL,
    -- Written by the Ed-Fi LMS Harmonizer, never by the loader.
    EdFiStudentId          uuid         NULL,
    SourceCreateDate       timestamp    NULL,
    SourceLastModifiedDate timestamp    NULL,
    CreateDate             timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate       timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    DeletedAt              timestamp    NULL,
    CONSTRAINT lmsuser_source_key UNIQUE (SourceSystemIdentifier, SourceSystem)
);

-- The Harmonizer looks users up by their mapped student; most rows are unmapped.
CREATE INDEX ix_lmsuser_edfistudentid ON lms.LMSUser (EdFiStudentId)
    WHERE EdFiStudentId IS NOT NULL;
