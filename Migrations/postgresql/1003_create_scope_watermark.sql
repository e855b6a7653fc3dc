-- The newest name-timestamp applied per scope: an older file arriving late is superseded.
CREATE TABLE lms.ScopeWatermark (
    Provider             varchar(255)  NOT NULL,
    Resource             varchar(64)   NOT NULL,
    ScopeKey             varchar(1024) NOT NULL,
    NameTimestamp        timestamp     NOT NULL,
    FileLedgerIdentifier bigint        NULL,
    CONSTRAINT scopewatermark_pk PRIMARY KEY (Provider, Resource, ScopeKey)
);
