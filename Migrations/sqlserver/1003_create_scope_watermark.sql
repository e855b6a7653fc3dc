-- The newest name-timestamp applied per scope: an older file arriving late is superseded.
-- The key is 510 + 64 + 1,060 = 1,634 bytes, under SQL Server's 1,700; see 1002 for the collation.
CREATE TABLE lms.ScopeWatermark (
    Provider             nvarchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL,
    Resource             varchar(64)   NOT NULL,
    ScopeKey             nvarchar(530) COLLATE Latin1_General_100_BIN2 NOT NULL,
    NameTimestamp        datetime2     NOT NULL,
    FileLedgerIdentifier bigint        NULL,
    CONSTRAINT ScopeWatermark_PK PRIMARY KEY CLUSTERED (Provider, Resource, ScopeKey)
);
