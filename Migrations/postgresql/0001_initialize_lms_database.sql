-- Scripts 0001-0010 reproduce the tables and columns of the Ed-Fi LMS loader (its names, types,
-- nullability and identity columns are what downstream tools read), so that a database that loader
-- built is adopted as is: its journal already lists these names and only our 1001+ scripts run.
-- The loader's lms.stg_* staging tables are left out on purpose: nothing downstream reads them and we
-- stage in per-transaction temporary tables.

-- The Ed-Fi LMS Harmonizer may have created the schema already.
CREATE SCHEMA IF NOT EXISTS lms;

-- The runner adds the Checksum column right after this script, as it does for a journal the Ed-Fi
-- loader made, so both paths end in the same shape.
CREATE TABLE IF NOT EXISTS lms.MigrationJournal (
    Script      varchar(250) NOT NULL PRIMARY KEY,
    InstallDate timestamp    NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
