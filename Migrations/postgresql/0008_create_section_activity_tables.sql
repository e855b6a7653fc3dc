-- Column order follows the Ed-Fi loader's table (DeletedAt before CreateDate) so that SELECT * reads
-- the same on both.
CREATE TABLE lms.LMSSectionActivity (
    LMSSectionActivityIdentifier integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier       varchar(255) NOT NULL,
    SourceSystem                 varchar(255) NOT NULL,
    LMSUserIdentifier            integer      NOT NULL,
    LMSSectionIdentifier         integer      NOT NULL,
    ActivityType                 varchar(60)  NOT NULL,
    ActivityDateTime             timestamp    NOT NULL,
    ActivityStatus               varchar(60)  NOT NULL,
    ParentSourceSystemIdentifier varchar(255) NULL,
    ActivityTimeInMinutes        integer      NULL,
    SourceCreateDate             timestamp    NULL,
    SourceLastModifiedDate       timestamp    NULL,
    DeletedAt                    timestamp    NULL,
    CreateDate                   timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    LastModifiedDate             timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CONSTRAINT lmssectionactivity_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT lmssectionactivity_section_fk FOREIGN KEY (LMSSectionIdentifier)
        REFERENCES lms.LMSSection (LMSSectionIdentifier) ON DELETE CASCADE,
    CONSTRAINT lmssectionactivity_user_fk FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
