-- One row per arrival of a file (docs/ledger-schema.md).
CREATE TABLE FileLedger (
    FileLedgerIdentifier INTEGER NOT NULL PRIMARY KEY,
    Provider             TEXT    NOT NULL,
    Resource             TEXT    NOT NULL,
    RelativePath         TEXT    NOT NULL,
    Sha256               TEXT    NOT NULL,
    Size                 INTEGER NOT NULL,
    ModifiedTime         TEXT    NULL,
    NameTimestamp        TEXT    NOT NULL,
    ScopeKey             TEXT    NOT NULL,
    Outcome              TEXT    NOT NULL,
    RowsRead             INTEGER NOT NULL DEFAULT 0,
    Inserted             INTEGER NOT NULL DEFAULT 0,
    Updated              INTEGER NOT NULL DEFAULT 0,
    Restored             INTEGER NOT NULL DEFAULT 0,
    Unchanged            INTEGER NOT NULL DEFAULT 0,
    SoftDeleted          INTEGER NOT NULL DEFAULT 0,
    Orphans              INTEGER NOT NULL DEFAULT 0,
    Invalid              INTEGER NOT NULL DEFAULT 0,
    Rounded              INTEGER NOT NULL DEFAULT 0,
    Message              TEXT    NULL,
    StartedAt            TEXT    NOT NULL,
    FinishedAt           TEXT    NULL,
    AppliedBy            TEXT    NULL,
    ScanId               TEXT    NULL,
    Replay               INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_fileledger_file ON FileLedger (Provider, RelativePath, Sha256);
CREATE INDEX ix_fileledger_outcome ON FileLedger (Provider, Outcome);
CREATE INDEX ix_fileledger_scope ON FileLedger (Provider, Resource, ScopeKey);
