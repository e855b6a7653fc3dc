-- Our schema for SQLite: the same table and column names as on PostgreSQL, in the main schema.
-- Types follow load-semantics §9: TEXT for text, timestamps (YYYY-MM-DD HH:MM:SS[.ffffff], UTC where
-- we write them), dates and uuids; INTEGER for integers. INTEGER PRIMARY KEY (no AUTOINCREMENT) may
-- reuse the largest identifier after a delete, which is harmless: rows are only ever soft-deleted.
CREATE TABLE IF NOT EXISTS MigrationJournal (
    Script      TEXT NOT NULL PRIMARY KEY,
    InstallDate TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    Checksum    TEXT NULL
);
