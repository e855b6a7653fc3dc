-- The newest name-timestamp applied per scope: an older file arriving late is superseded.
CREATE TABLE ScopeWatermark (
    Provider             TEXT    NOT NULL,
    Resource             TEXT    NOT NULL,
    ScopeKey             TEXT    NOT NULL,
    NameTimestamp        TEXT    NOT NULL,
    FileLedgerIdentifier INTEGER NULL,
    PRIMARY KEY (Provider, Resource, ScopeKey)
);
