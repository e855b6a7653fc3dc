-- One row per arrival of a file (docs/ledger-schema.md).
CREATE TABLE lms.FileLedger (
    FileLedgerIdentifier bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    Provider             varchar(255)  NOT NULL,
    Resource             varchar(64)   NOT NULL,
    RelativePath         varchar(1024) NOT NULL,
    Sha256               varchar(64)   NOT NULL,
    Size                 bigint        NOT NULL,
    ModifiedTime         timestamp     NULL,
    NameTimestamp        timestamp     NOT NULL,
    ScopeKey             varchar(1024) NOT NULL,
    Outcome              varchar(16)   NOT NULL,
    RowsRead             integer       NOT NULL DEFAULT 0,
    Inserted             integer       NOT NULL DEFAULT 0,
    Updated              integer       NOT NULL DEFAULT 0,
    Restored             integer       NOT NULL DEFAULT 0,
    Unchanged            integer       NOT NULL DEFAULT 0,
    SoftDeleted          integer       NOT NULL DEFAULT 0,
    Orphans              integer       NOT NULL DEFAULT 0,
    Invalid              integer       NOT NULL DEFAULT 0,
    Rounded              integer       NOT NULL DEFAULT 0,
    Message              text          NULL,
    StartedAt            timestamp     NOT NULL,
    FinishedAt           timestamp     NULL,
    AppliedBy            varchar(255)  NULL,
    ScanId               varchar(64)   NULL,
    Replay               smallint      NOT NULL DEFAULT 0
);

-- "Was this exact file seen before?"
CREATE INDEX ix_fileledger_file ON lms.FileLedger (Provider, RelativePath, Sha256);
-- "What is still published and not applied?"
CREATE INDEX ix_fileledger_outcome ON lms.FileLedger (Provider, Outcome);
-- "What was applied to this scope?"
CREATE INDEX ix_fileledger_scope ON lms.FileLedger (Provider, Resource, ScopeKey);
