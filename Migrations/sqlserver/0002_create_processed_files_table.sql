-- The Ed-Fi loader's record of the files it loaded; we keep lms.FileLedger instead (1002) and leave
-- this table as the loader left it.
CREATE TABLE lms.ProcessedFiles (
    FullPath       nvarchar(255) NOT NULL,
    ResourceName   nvarchar(128) NOT NULL,
    NumberOfRows   int           NOT NULL,
    UploadDateTime datetime2     NOT NULL CONSTRAINT ProcessedFiles_DF_UploadDateTime DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT ProcessedFiles_PK PRIMARY KEY CLUSTERED (FullPath)
);
