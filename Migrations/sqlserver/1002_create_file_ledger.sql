-- One row per arrival of a file (docs/ledger-schema.md).
-- Provider, RelativePath and ScopeKey compare exactly (binary collation), whatever the database's
-- collation: 'Users.csv' and 'users.csv' are different files, 'section=A' and 'section=a' different
-- scopes. ScopeKey is nvarchar(530), the longest key whose ids fit their 255-character columns
-- ('section=' + 255 + '/assignment=' + 255), which also keeps the scope index key at 1,634 bytes,
-- under SQL Server's 1,700. RelativePath is too long for a key column, so the file index carries it
-- as an included column behind the hash.
CREATE TABLE lms.FileLedger (
    FileLedgerIdentifier bigint         NOT NULL IDENTITY(1, 1),
    Provider             nvarchar(255)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    Resource             varchar(64)    NOT NULL,
    RelativePath         nvarchar(1024) COLLATE Latin1_General_100_BIN2 NOT NULL,
    Sha256               varchar(64)    NOT NULL,
    Size                 bigint         NOT NULL,
    ModifiedTime         datetime2      NULL,
    NameTimestamp        datetime2      NOT NULL,
    ScopeKey             nvarchar(530)  COLLATE Latin1_General_100_BIN2 NOT NULL,
    Outcome              varchar(16)    NOT NULL,
    RowsRead             int            NOT NULL CONSTRAINT FileLedger_DF_RowsRead DEFAULT (0),
    Inserted             int            NOT NULL CONSTRAINT FileLedger_DF_Inserted DEFAULT (0),
    Updated              int            NOT NULL CONSTRAINT FileLedger_DF_Updated DEFAULT (0),
    Restored             int            NOT NULL CONSTRAINT FileLedger_DF_Restored DEFAULT (0),
    Unchanged            int            NOT NULL CONSTRAINT FileLedger_DF_Unchanged DEFAULT (0),
    SoftDeleted          int            NOT NULL CONSTRAINT FileLedger_DF_SoftDeleted DEFAULT (0),
    Orphans              int            NOT NULL CONSTRAINT FileLedger_DF_Orphans DEFAULT (0),
    Invalid              int            NOT NULL CONSTRAINT FileLedger_DF_Invalid DEFAULT (0),
    Rounded              int            NOT NULL CONSTRAINT FileLedger_DF_Rounded DEFAULT (0),
    Message              nvarchar(max)  NULL,
    StartedAt            datetime2      NOT NULL,
    FinishedAt           datetime2      NULL,
    AppliedBy            nvarchar(255)  NULL,
    ScanId               varchar(64)    NULL,
    Replay               smallint       NOT NULL CONSTRAINT FileLedger_DF_Replay DEFAULT (0),
    CONSTRAINT FileLedger_PK PRIMARY KEY CLUSTERED (FileLedgerIdentifier)
);

-- "Was this exact file seen before?"
CREATE NONCLUSTERED INDEX IX_FileLedger_File
    ON lms.FileLedger (Provider, Sha256) INCLUDE (RelativePath, Outcome);
-- "What is still published and not applied?"
CREATE NONCLUSTERED INDEX IX_FileLedger_Outcome
    ON lms.FileLedger (Provider, Outcome);
-- "What was applied to this scope?"
CREATE NONCLUSTERED INDEX IX_FileLedger_Scope
    ON lms.FileLedger (Provider, Resource, ScopeKey);
