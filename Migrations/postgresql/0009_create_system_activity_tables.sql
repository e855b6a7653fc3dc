CREATE TABLE lms.LMSSystemActivity (
    LMSSystemActivityIdentifier  integer      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    SourceSystemIdentifier       varchar(255) NOT NULL,
    SourceSystem                 varchar(255) NOT NULL,
    LMSUserIdentifier            integer      NOT NULL,
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
    CONSTRAINT lmssystemactivity_source_key UNIQUE (SourceSystemIdentifier, SourceSystem),
    CONSTRAINT lmssystemactivity_user_fk FOREIGN KEY (LMSUserIdentifier)
        REFERENCES lms.LMSUser (LMSUserIdentifier) ON DELETE CASCADE
);
