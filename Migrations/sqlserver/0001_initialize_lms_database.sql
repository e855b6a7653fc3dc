-- Scripts 0001-0012 reproduce the tables, columns and types of the Ed-Fi LMS loader's SQL Server
-- schema under its script names, so that a database that loader built is adopted as is: its journal
-- already lists these names and only our 1001+ scripts run. As on PostgreSQL, the loader's lms.stg_*
-- staging tables are left out (we stage in #temp tables) and so are its column descriptions.
-- Each script runs as one batch: there is no GO, and CREATE SCHEMA, which must start a batch, runs
-- through sp_executesql.

-- The Ed-Fi LMS Harmonizer may have created the schema already.
IF NOT EXISTS (SELECT 1 FROM sys.schemas WHERE name = N'lms')
    EXEC sys.sp_executesql N'CREATE SCHEMA lms';

-- The runner adds the Checksum column right after this script, as it does for a journal the Ed-Fi
-- loader made, so both paths end in the same shape.
CREATE TABLE lms.MigrationJournal (
    Script      varchar(250) NOT NULL,
    InstallDate datetime2    NOT NULL CONSTRAINT DF_MigrationJournal_InstallDate DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_MigrationJournal PRIMARY KEY CLUSTERED (Script)
);
