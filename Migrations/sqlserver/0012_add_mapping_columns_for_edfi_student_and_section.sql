-- Written by the Ed-Fi LMS Harmonizer, never by the loader.
ALTER TABLE lms.LMSSection ADD EdFiSectionId uniqueidentifier NULL;
ALTER TABLE lms.LMSUser ADD EdFiStudentId uniqueidentifier NULL;

-- The Harmonizer looks rows up by their mapped Ed-Fi id; most rows are unmapped. (The Ed-Fi loader's
-- indexes of these names filter on DeletedAt IS NOT NULL, which serves no lookup by the id; ours
-- filter on the id, as on PostgreSQL. An adopted database keeps the loader's.)
-- The columns are new in this batch, so the indexes are compiled on their own, after them.
EXEC sys.sp_executesql N'CREATE NONCLUSTERED INDEX IX_LMSSection_EdfiSectionId
    ON lms.LMSSection (EdFiSectionId) WHERE EdFiSectionId IS NOT NULL';
EXEC sys.sp_executesql N'CREATE NONCLUSTERED INDEX IX_LMSUser_EdfiStudentId
    ON lms.LMSUser (EdFiStudentId) WHERE EdFiStudentId IS NOT NULL';
