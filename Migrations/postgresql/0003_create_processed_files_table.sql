-- The Ed-Fi loader's record of loaded files. We keep our own ledger (lms.FileLedger) and never write
-- here; the table exists so that a database we create has the same shape as one that loader built.
CREATE TABLE lms.ProcessedFiles (
    FullPath       varchar(255) NOT NULL PRIMARY KEY,
    ResourceName   varchar(128) NOT NULL,
    NumberOfRows   integer      NOT NULL,
    UploadDateTime timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
