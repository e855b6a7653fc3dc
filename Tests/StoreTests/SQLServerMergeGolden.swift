// Golden SQL Server text of each merge step, by layout and step, generated with
// LMSDS_WRITE_GOLDEN and read step by step before it was pinned (see SQLServerMergeTextTests).
// Change it only together with the SQL it pins.
enum SQLServerMergeGolden {
  static let steps: [String: [String: String]] = [
    "users": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmsuser') IS NULL CREATE TABLE #lmsds_stage_lmsuser (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, UserRole nvarchar(60) COLLATE DATABASE_DEFAULT, SISUserIdentifier nvarchar(255) COLLATE DATABASE_DEFAULT, LocalUserIdentifier nvarchar(255) COLLATE DATABASE_DEFAULT, Name nvarchar(255) COLLATE DATABASE_DEFAULT, EmailAddress nvarchar(255) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuser
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuser
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuser SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmsuser WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSUserIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.UserRole COLLATE Latin1_General_100_BIN2 <> t.UserRole COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.UserRole) <> DATALENGTH(t.UserRole) OR (s.UserRole IS NULL AND t.UserRole IS NOT NULL) OR (s.UserRole IS NOT NULL AND t.UserRole IS NULL) OR s.SISUserIdentifier COLLATE Latin1_General_100_BIN2 <> t.SISUserIdentifier COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.SISUserIdentifier) <> DATALENGTH(t.SISUserIdentifier) OR (s.SISUserIdentifier IS NULL AND t.SISUserIdentifier IS NOT NULL) OR (s.SISUserIdentifier IS NOT NULL AND t.SISUserIdentifier IS NULL) OR s.LocalUserIdentifier COLLATE Latin1_General_100_BIN2 <> t.LocalUserIdentifier COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.LocalUserIdentifier) <> DATALENGTH(t.LocalUserIdentifier) OR (s.LocalUserIdentifier IS NULL AND t.LocalUserIdentifier IS NOT NULL) OR (s.LocalUserIdentifier IS NOT NULL AND t.LocalUserIdentifier IS NULL) OR s.Name COLLATE Latin1_General_100_BIN2 <> t.Name COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Name) <> DATALENGTH(t.Name) OR (s.Name IS NULL AND t.Name IS NOT NULL) OR (s.Name IS NOT NULL AND t.Name IS NULL) OR s.EmailAddress COLLATE Latin1_General_100_BIN2 <> t.EmailAddress COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.EmailAddress) <> DATALENGTH(t.EmailAddress) OR (s.EmailAddress IS NULL AND t.EmailAddress IS NOT NULL) OR (s.EmailAddress IS NOT NULL AND t.EmailAddress IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmsuser AS s JOIN lms.[LMSUser] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmsuser
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan FROM #lmsds_stage_lmsuser WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "guardMassDelete": #"""
      -- parameters: [N'Canvas']
      SELECT COUNT(*), COALESCE(SUM(scoped.absent), 0) FROM (SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmsuser AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier) THEN 1 ELSE 0 END AS absent FROM lms.[LMSUser] AS t WHERE t.SourceSystem = $1 AND t.DeletedAt IS NULL) AS scoped
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET UserRole = s.UserRole, SISUserIdentifier = s.SISUserIdentifier, LocalUserIdentifier = s.LocalUserIdentifier, Name = s.Name, EmailAddress = s.EmailAddress, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, DeletedAt = NULL FROM lms.[LMSUser] AS t JOIN #lmsds_stage_lmsuser AS s ON t.LMSUserIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSUser] (SourceSystemIdentifier, SourceSystem, UserRole, SISUserIdentifier, LocalUserIdentifier, Name, EmailAddress, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.UserRole, s.SISUserIdentifier, s.LocalUserIdentifier, s.Name, s.EmailAddress, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate FROM #lmsds_stage_lmsuser AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSUser] AS t WHERE t.SourceSystem = $2 AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmsuser AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "sections": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmssection') IS NULL CREATE TABLE #lmsds_stage_lmssection (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, SISSectionIdentifier nvarchar(255) COLLATE DATABASE_DEFAULT, Title nvarchar(255) COLLATE DATABASE_DEFAULT, SectionDescription nvarchar(1024) COLLATE DATABASE_DEFAULT, Term nvarchar(60) COLLATE DATABASE_DEFAULT, LMSSectionStatus nvarchar(60) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssection
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssection
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmssection SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmssection WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSSectionIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.SISSectionIdentifier COLLATE Latin1_General_100_BIN2 <> t.SISSectionIdentifier COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.SISSectionIdentifier) <> DATALENGTH(t.SISSectionIdentifier) OR (s.SISSectionIdentifier IS NULL AND t.SISSectionIdentifier IS NOT NULL) OR (s.SISSectionIdentifier IS NOT NULL AND t.SISSectionIdentifier IS NULL) OR s.Title COLLATE Latin1_General_100_BIN2 <> t.Title COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Title) <> DATALENGTH(t.Title) OR (s.Title IS NULL AND t.Title IS NOT NULL) OR (s.Title IS NOT NULL AND t.Title IS NULL) OR s.SectionDescription COLLATE Latin1_General_100_BIN2 <> t.SectionDescription COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.SectionDescription) <> DATALENGTH(t.SectionDescription) OR (s.SectionDescription IS NULL AND t.SectionDescription IS NOT NULL) OR (s.SectionDescription IS NOT NULL AND t.SectionDescription IS NULL) OR s.Term COLLATE Latin1_General_100_BIN2 <> t.Term COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Term) <> DATALENGTH(t.Term) OR (s.Term IS NULL AND t.Term IS NOT NULL) OR (s.Term IS NOT NULL AND t.Term IS NULL) OR s.LMSSectionStatus COLLATE Latin1_General_100_BIN2 <> t.LMSSectionStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.LMSSectionStatus) <> DATALENGTH(t.LMSSectionStatus) OR (s.LMSSectionStatus IS NULL AND t.LMSSectionStatus IS NOT NULL) OR (s.LMSSectionStatus IS NOT NULL AND t.LMSSectionStatus IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmssection AS s JOIN lms.[LMSSection] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmssection
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan FROM #lmsds_stage_lmssection WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "guardMassDelete": #"""
      -- parameters: [N'Canvas']
      SELECT COUNT(*), COALESCE(SUM(scoped.absent), 0) FROM (SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmssection AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier) THEN 1 ELSE 0 END AS absent FROM lms.[LMSSection] AS t WHERE t.SourceSystem = $1 AND t.DeletedAt IS NULL) AS scoped
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET SISSectionIdentifier = s.SISSectionIdentifier, Title = s.Title, SectionDescription = s.SectionDescription, Term = s.Term, LMSSectionStatus = s.LMSSectionStatus, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, DeletedAt = NULL FROM lms.[LMSSection] AS t JOIN #lmsds_stage_lmssection AS s ON t.LMSSectionIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSSection] (SourceSystemIdentifier, SourceSystem, SISSectionIdentifier, Title, SectionDescription, Term, LMSSectionStatus, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.SISSectionIdentifier, s.Title, s.SectionDescription, s.Term, s.LMSSectionStatus, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate FROM #lmsds_stage_lmssection AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSSection] AS t WHERE t.SourceSystem = $2 AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmssection AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "section-associations": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmsuserlmssectionassociation') IS NULL CREATE TABLE #lmsds_stage_lmsuserlmssectionassociation (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, EnrollmentStatus nvarchar(60) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSSectionSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSSectionIdentifier int, p_LMSUserSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuserlmssectionassociation
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuserlmssectionassociation
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuserlmssectionassociation SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmsuserlmssectionassociation WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSSectionIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSSectionIdentifier = p.LMSSectionIdentifier FROM #lmsds_stage_lmsuserlmssectionassociation AS s JOIN lms.[LMSSection] AS p ON p.SourceSystemIdentifier = s.p_LMSSectionSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "resolveParent(LMSUserIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserIdentifier = p.LMSUserIdentifier FROM #lmsds_stage_lmsuserlmssectionassociation AS s JOIN lms.[LMSUser] AS p ON p.SourceSystemIdentifier = s.p_LMSUserSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuserlmssectionassociation SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSSectionSourceSystemIdentifier IS NOT NULL AND r_LMSSectionIdentifier IS NULL) OR (p_LMSUserSourceSystemIdentifier IS NOT NULL AND r_LMSUserIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSUserLMSSectionAssociationIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.EnrollmentStatus COLLATE Latin1_General_100_BIN2 <> t.EnrollmentStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.EnrollmentStatus) <> DATALENGTH(t.EnrollmentStatus) OR (s.EnrollmentStatus IS NULL AND t.EnrollmentStatus IS NOT NULL) OR (s.EnrollmentStatus IS NOT NULL AND t.EnrollmentStatus IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSSectionIdentifier <> t.LMSSectionIdentifier OR (s.r_LMSSectionIdentifier IS NULL AND t.LMSSectionIdentifier IS NOT NULL) OR (s.r_LMSSectionIdentifier IS NOT NULL AND t.LMSSectionIdentifier IS NULL) OR s.r_LMSUserIdentifier <> t.LMSUserIdentifier OR (s.r_LMSUserIdentifier IS NULL AND t.LMSUserIdentifier IS NOT NULL) OR (s.r_LMSUserIdentifier IS NOT NULL AND t.LMSUserIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmsuserlmssectionassociation AS s JOIN lms.[LMSUserLMSSectionAssociation] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmsuserlmssectionassociation
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSSectionSourceSystemIdentifier, r_LMSSectionIdentifier, p_LMSUserSourceSystemIdentifier, r_LMSUserIdentifier FROM #lmsds_stage_lmsuserlmssectionassociation WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET EnrollmentStatus = s.EnrollmentStatus, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSSectionIdentifier = s.r_LMSSectionIdentifier, LMSUserIdentifier = s.r_LMSUserIdentifier, DeletedAt = NULL FROM lms.[LMSUserLMSSectionAssociation] AS t JOIN #lmsds_stage_lmsuserlmssectionassociation AS s ON t.LMSUserLMSSectionAssociationIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSUserLMSSectionAssociation] (SourceSystemIdentifier, SourceSystem, EnrollmentStatus, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSSectionIdentifier, LMSUserIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.EnrollmentStatus, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSSectionIdentifier, s.r_LMSUserIdentifier FROM #lmsds_stage_lmsuserlmssectionassociation AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSUserLMSSectionAssociation] AS t WHERE t.SourceSystem = $2 AND t.LMSSectionIdentifier = (SELECT sec.LMSSectionIdentifier FROM lms.[LMSSection] AS sec WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmsuserlmssectionassociation AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "assignments+types": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_assignment') IS NULL CREATE TABLE #lmsds_stage_assignment (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, Title nvarchar(255) COLLATE DATABASE_DEFAULT, AssignmentCategory nvarchar(60) COLLATE DATABASE_DEFAULT, AssignmentDescription nvarchar(1024) COLLATE DATABASE_DEFAULT, StartDateTime datetime2, EndDateTime datetime2, DueDateTime datetime2, MaxPoints int, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSSectionSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSSectionIdentifier int)
      -- statement
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_submission_types') IS NULL CREATE TABLE #lmsds_stage_submission_types (SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SubmissionType nvarchar(4000) COLLATE DATABASE_DEFAULT)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignment
      -- statement
      -- parameters: []
      DELETE FROM #lmsds_stage_submission_types
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignment
      -- statement
      -- parameters: []
      DELETE FROM #lmsds_stage_submission_types
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignment SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_assignment WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSSectionIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSSectionIdentifier = p.LMSSectionIdentifier FROM #lmsds_stage_assignment AS s JOIN lms.[LMSSection] AS p ON p.SourceSystemIdentifier = s.p_LMSSectionSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignment SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSSectionSourceSystemIdentifier IS NOT NULL AND r_LMSSectionIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.AssignmentIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.Title COLLATE Latin1_General_100_BIN2 <> t.Title COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Title) <> DATALENGTH(t.Title) OR (s.Title IS NULL AND t.Title IS NOT NULL) OR (s.Title IS NOT NULL AND t.Title IS NULL) OR s.AssignmentCategory COLLATE Latin1_General_100_BIN2 <> t.AssignmentCategory COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.AssignmentCategory) <> DATALENGTH(t.AssignmentCategory) OR (s.AssignmentCategory IS NULL AND t.AssignmentCategory IS NOT NULL) OR (s.AssignmentCategory IS NOT NULL AND t.AssignmentCategory IS NULL) OR s.AssignmentDescription COLLATE Latin1_General_100_BIN2 <> t.AssignmentDescription COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.AssignmentDescription) <> DATALENGTH(t.AssignmentDescription) OR (s.AssignmentDescription IS NULL AND t.AssignmentDescription IS NOT NULL) OR (s.AssignmentDescription IS NOT NULL AND t.AssignmentDescription IS NULL) OR s.StartDateTime <> t.StartDateTime OR (s.StartDateTime IS NULL AND t.StartDateTime IS NOT NULL) OR (s.StartDateTime IS NOT NULL AND t.StartDateTime IS NULL) OR s.EndDateTime <> t.EndDateTime OR (s.EndDateTime IS NULL AND t.EndDateTime IS NOT NULL) OR (s.EndDateTime IS NOT NULL AND t.EndDateTime IS NULL) OR s.DueDateTime <> t.DueDateTime OR (s.DueDateTime IS NULL AND t.DueDateTime IS NOT NULL) OR (s.DueDateTime IS NOT NULL AND t.DueDateTime IS NULL) OR s.MaxPoints <> t.MaxPoints OR (s.MaxPoints IS NULL AND t.MaxPoints IS NOT NULL) OR (s.MaxPoints IS NOT NULL AND t.MaxPoints IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSSectionIdentifier <> t.LMSSectionIdentifier OR (s.r_LMSSectionIdentifier IS NULL AND t.LMSSectionIdentifier IS NOT NULL) OR (s.r_LMSSectionIdentifier IS NOT NULL AND t.LMSSectionIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_assignment AS s JOIN lms.[Assignment] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_assignment
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSSectionSourceSystemIdentifier, r_LMSSectionIdentifier FROM #lmsds_stage_assignment WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET Title = s.Title, AssignmentCategory = s.AssignmentCategory, AssignmentDescription = s.AssignmentDescription, StartDateTime = s.StartDateTime, EndDateTime = s.EndDateTime, DueDateTime = s.DueDateTime, MaxPoints = s.MaxPoints, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSSectionIdentifier = s.r_LMSSectionIdentifier, DeletedAt = NULL FROM lms.[Assignment] AS t JOIN #lmsds_stage_assignment AS s ON t.AssignmentIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[Assignment] (SourceSystemIdentifier, SourceSystem, Title, AssignmentCategory, AssignmentDescription, StartDateTime, EndDateTime, DueDateTime, MaxPoints, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSSectionIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.Title, s.AssignmentCategory, s.AssignmentDescription, s.StartDateTime, s.EndDateTime, s.DueDateTime, s.MaxPoints, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSSectionIdentifier FROM #lmsds_stage_assignment AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[Assignment] AS t WHERE t.SourceSystem = $2 AND t.LMSSectionIdentifier = (SELECT sec.LMSSectionIdentifier FROM lms.[LMSSection] AS sec WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_assignment AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
      "restoreSubmissionTypes": #"""
      -- parameters: [N'Canvas']
      UPDATE x SET DeletedAt = NULL FROM #lmsds_stage_submission_types AS l JOIN #lmsds_stage_assignment AS s ON s.SourceSystemIdentifier = l.SourceSystemIdentifier JOIN lms.[Assignment] AS a ON a.SourceSystemIdentifier = s.SourceSystemIdentifier AND a.SourceSystem = $1 JOIN lms.[AssignmentSubmissionType] AS x ON x.AssignmentIdentifier = a.AssignmentIdentifier AND x.SubmissionType = l.SubmissionType WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND x.DeletedAt IS NOT NULL
      """#,
      "insertSubmissionTypes": #"""
      -- parameters: [N'Canvas', N'2024-01-02 03:04:05']
      INSERT INTO lms.[AssignmentSubmissionType] (AssignmentIdentifier, SubmissionType, CreateDate) SELECT a.AssignmentIdentifier, l.SubmissionType, CAST($2 AS datetime2) FROM #lmsds_stage_submission_types AS l JOIN #lmsds_stage_assignment AS s ON s.SourceSystemIdentifier = l.SourceSystemIdentifier JOIN lms.[Assignment] AS a ON a.SourceSystemIdentifier = s.SourceSystemIdentifier AND a.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND NOT EXISTS (SELECT 1 FROM lms.[AssignmentSubmissionType] AS x WHERE x.AssignmentIdentifier = a.AssignmentIdentifier AND x.SubmissionType = l.SubmissionType)
      """#,
      "deleteUnlistedSubmissionTypes": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas']
      UPDATE x SET DeletedAt = CAST($1 AS datetime2) FROM lms.[AssignmentSubmissionType] AS x WHERE x.DeletedAt IS NULL AND x.AssignmentIdentifier IN (SELECT a.AssignmentIdentifier FROM #lmsds_stage_assignment AS s JOIN lms.[Assignment] AS a ON a.SourceSystemIdentifier = s.SourceSystemIdentifier AND a.SourceSystem = $2 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)) AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_submission_types AS l JOIN lms.[Assignment] AS a2 ON a2.SourceSystemIdentifier = l.SourceSystemIdentifier AND a2.SourceSystem = $2 WHERE a2.AssignmentIdentifier = x.AssignmentIdentifier AND l.SubmissionType = x.SubmissionType)
      """#,
    ],
    "assignments": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_assignment') IS NULL CREATE TABLE #lmsds_stage_assignment (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, Title nvarchar(255) COLLATE DATABASE_DEFAULT, AssignmentCategory nvarchar(60) COLLATE DATABASE_DEFAULT, AssignmentDescription nvarchar(1024) COLLATE DATABASE_DEFAULT, StartDateTime datetime2, EndDateTime datetime2, DueDateTime datetime2, MaxPoints int, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSSectionSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSSectionIdentifier int)
      -- statement
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_submission_types') IS NULL CREATE TABLE #lmsds_stage_submission_types (SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SubmissionType nvarchar(4000) COLLATE DATABASE_DEFAULT)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignment
      -- statement
      -- parameters: []
      DELETE FROM #lmsds_stage_submission_types
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignment
      -- statement
      -- parameters: []
      DELETE FROM #lmsds_stage_submission_types
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignment SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_assignment WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSSectionIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSSectionIdentifier = p.LMSSectionIdentifier FROM #lmsds_stage_assignment AS s JOIN lms.[LMSSection] AS p ON p.SourceSystemIdentifier = s.p_LMSSectionSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignment SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSSectionSourceSystemIdentifier IS NOT NULL AND r_LMSSectionIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.AssignmentIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.Title COLLATE Latin1_General_100_BIN2 <> t.Title COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Title) <> DATALENGTH(t.Title) OR (s.Title IS NULL AND t.Title IS NOT NULL) OR (s.Title IS NOT NULL AND t.Title IS NULL) OR s.AssignmentCategory COLLATE Latin1_General_100_BIN2 <> t.AssignmentCategory COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.AssignmentCategory) <> DATALENGTH(t.AssignmentCategory) OR (s.AssignmentCategory IS NULL AND t.AssignmentCategory IS NOT NULL) OR (s.AssignmentCategory IS NOT NULL AND t.AssignmentCategory IS NULL) OR s.AssignmentDescription COLLATE Latin1_General_100_BIN2 <> t.AssignmentDescription COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.AssignmentDescription) <> DATALENGTH(t.AssignmentDescription) OR (s.AssignmentDescription IS NULL AND t.AssignmentDescription IS NOT NULL) OR (s.AssignmentDescription IS NOT NULL AND t.AssignmentDescription IS NULL) OR s.StartDateTime <> t.StartDateTime OR (s.StartDateTime IS NULL AND t.StartDateTime IS NOT NULL) OR (s.StartDateTime IS NOT NULL AND t.StartDateTime IS NULL) OR s.EndDateTime <> t.EndDateTime OR (s.EndDateTime IS NULL AND t.EndDateTime IS NOT NULL) OR (s.EndDateTime IS NOT NULL AND t.EndDateTime IS NULL) OR s.DueDateTime <> t.DueDateTime OR (s.DueDateTime IS NULL AND t.DueDateTime IS NOT NULL) OR (s.DueDateTime IS NOT NULL AND t.DueDateTime IS NULL) OR s.MaxPoints <> t.MaxPoints OR (s.MaxPoints IS NULL AND t.MaxPoints IS NOT NULL) OR (s.MaxPoints IS NOT NULL AND t.MaxPoints IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSSectionIdentifier <> t.LMSSectionIdentifier OR (s.r_LMSSectionIdentifier IS NULL AND t.LMSSectionIdentifier IS NOT NULL) OR (s.r_LMSSectionIdentifier IS NOT NULL AND t.LMSSectionIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_assignment AS s JOIN lms.[Assignment] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_assignment
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSSectionSourceSystemIdentifier, r_LMSSectionIdentifier FROM #lmsds_stage_assignment WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET Title = s.Title, AssignmentCategory = s.AssignmentCategory, AssignmentDescription = s.AssignmentDescription, StartDateTime = s.StartDateTime, EndDateTime = s.EndDateTime, DueDateTime = s.DueDateTime, MaxPoints = s.MaxPoints, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSSectionIdentifier = s.r_LMSSectionIdentifier, DeletedAt = NULL FROM lms.[Assignment] AS t JOIN #lmsds_stage_assignment AS s ON t.AssignmentIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[Assignment] (SourceSystemIdentifier, SourceSystem, Title, AssignmentCategory, AssignmentDescription, StartDateTime, EndDateTime, DueDateTime, MaxPoints, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSSectionIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.Title, s.AssignmentCategory, s.AssignmentDescription, s.StartDateTime, s.EndDateTime, s.DueDateTime, s.MaxPoints, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSSectionIdentifier FROM #lmsds_stage_assignment AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[Assignment] AS t WHERE t.SourceSystem = $2 AND t.LMSSectionIdentifier = (SELECT sec.LMSSectionIdentifier FROM lms.[LMSSection] AS sec WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_assignment AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "submissions": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_assignmentsubmission') IS NULL CREATE TABLE #lmsds_stage_assignmentsubmission (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, SubmissionStatus nvarchar(255) COLLATE DATABASE_DEFAULT, SubmissionDateTime datetime2, EarnedPoints int, Grade nvarchar(20) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_AssignmentSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_AssignmentIdentifier int, p_LMSUserSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignmentsubmission
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_assignmentsubmission
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignmentsubmission SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_assignmentsubmission WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(AssignmentIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_AssignmentIdentifier = p.AssignmentIdentifier FROM #lmsds_stage_assignmentsubmission AS s JOIN lms.[Assignment] AS p ON p.SourceSystemIdentifier = s.p_AssignmentSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "resolveParent(LMSUserIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserIdentifier = p.LMSUserIdentifier FROM #lmsds_stage_assignmentsubmission AS s JOIN lms.[LMSUser] AS p ON p.SourceSystemIdentifier = s.p_LMSUserSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_assignmentsubmission SET orphan = 1 WHERE row_ok = 1 AND ((p_AssignmentSourceSystemIdentifier IS NOT NULL AND r_AssignmentIdentifier IS NULL) OR (p_LMSUserSourceSystemIdentifier IS NOT NULL AND r_LMSUserIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.AssignmentSubmissionIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.SubmissionStatus COLLATE Latin1_General_100_BIN2 <> t.SubmissionStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.SubmissionStatus) <> DATALENGTH(t.SubmissionStatus) OR (s.SubmissionStatus IS NULL AND t.SubmissionStatus IS NOT NULL) OR (s.SubmissionStatus IS NOT NULL AND t.SubmissionStatus IS NULL) OR s.SubmissionDateTime <> t.SubmissionDateTime OR (s.SubmissionDateTime IS NULL AND t.SubmissionDateTime IS NOT NULL) OR (s.SubmissionDateTime IS NOT NULL AND t.SubmissionDateTime IS NULL) OR s.EarnedPoints <> t.EarnedPoints OR (s.EarnedPoints IS NULL AND t.EarnedPoints IS NOT NULL) OR (s.EarnedPoints IS NOT NULL AND t.EarnedPoints IS NULL) OR s.Grade COLLATE Latin1_General_100_BIN2 <> t.Grade COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Grade) <> DATALENGTH(t.Grade) OR (s.Grade IS NULL AND t.Grade IS NOT NULL) OR (s.Grade IS NOT NULL AND t.Grade IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_AssignmentIdentifier <> t.AssignmentIdentifier OR (s.r_AssignmentIdentifier IS NULL AND t.AssignmentIdentifier IS NOT NULL) OR (s.r_AssignmentIdentifier IS NOT NULL AND t.AssignmentIdentifier IS NULL) OR s.r_LMSUserIdentifier <> t.LMSUserIdentifier OR (s.r_LMSUserIdentifier IS NULL AND t.LMSUserIdentifier IS NOT NULL) OR (s.r_LMSUserIdentifier IS NOT NULL AND t.LMSUserIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_assignmentsubmission AS s JOIN lms.[AssignmentSubmission] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_assignmentsubmission
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_AssignmentSourceSystemIdentifier, r_AssignmentIdentifier, p_LMSUserSourceSystemIdentifier, r_LMSUserIdentifier FROM #lmsds_stage_assignmentsubmission WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET SubmissionStatus = s.SubmissionStatus, SubmissionDateTime = s.SubmissionDateTime, EarnedPoints = s.EarnedPoints, Grade = s.Grade, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, AssignmentIdentifier = s.r_AssignmentIdentifier, LMSUserIdentifier = s.r_LMSUserIdentifier, DeletedAt = NULL FROM lms.[AssignmentSubmission] AS t JOIN #lmsds_stage_assignmentsubmission AS s ON t.AssignmentSubmissionIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[AssignmentSubmission] (SourceSystemIdentifier, SourceSystem, SubmissionStatus, SubmissionDateTime, EarnedPoints, Grade, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, AssignmentIdentifier, LMSUserIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.SubmissionStatus, s.SubmissionDateTime, s.EarnedPoints, s.Grade, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_AssignmentIdentifier, s.r_LMSUserIdentifier FROM #lmsds_stage_assignmentsubmission AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'asg-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[AssignmentSubmission] AS t WHERE t.SourceSystem = $2 AND t.AssignmentIdentifier = (SELECT x.AssignmentIdentifier FROM lms.[Assignment] AS x WHERE x.SourceSystemIdentifier = $3 AND x.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_assignmentsubmission AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "attendance-events": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmsuserattendanceevent') IS NULL CREATE TABLE #lmsds_stage_lmsuserattendanceevent (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, EventDate date, AttendanceStatus nvarchar(60) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSUserSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserIdentifier int, p_LMSSectionSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSSectionIdentifier int, r_LMSUserLMSSectionAssociationIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuserattendanceevent
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsuserattendanceevent
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuserattendanceevent SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmsuserattendanceevent WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSUserIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserIdentifier = p.LMSUserIdentifier FROM #lmsds_stage_lmsuserattendanceevent AS s JOIN lms.[LMSUser] AS p ON p.SourceSystemIdentifier = s.p_LMSUserSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "resolveParent(LMSSectionIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSSectionIdentifier = p.LMSSectionIdentifier FROM #lmsds_stage_lmsuserattendanceevent AS s JOIN lms.[LMSSection] AS p ON p.SourceSystemIdentifier = s.p_LMSSectionSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuserattendanceevent SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSUserSourceSystemIdentifier IS NOT NULL AND r_LMSUserIdentifier IS NULL) OR (p_LMSSectionSourceSystemIdentifier IS NOT NULL AND r_LMSSectionIdentifier IS NULL))
      """#,
      "linkAttendanceAssociations": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsuserattendanceevent SET r_LMSUserLMSSectionAssociationIdentifier = (SELECT TOP 1 a.LMSUserLMSSectionAssociationIdentifier FROM lms.[LMSUserLMSSectionAssociation] AS a WHERE a.LMSUserIdentifier = #lmsds_stage_lmsuserattendanceevent.r_LMSUserIdentifier AND a.LMSSectionIdentifier = #lmsds_stage_lmsuserattendanceevent.r_LMSSectionIdentifier ORDER BY CASE WHEN a.DeletedAt IS NULL THEN 0 ELSE 1 END, a.LMSUserLMSSectionAssociationIdentifier) WHERE row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND r_LMSSectionIdentifier IS NOT NULL
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSUserAttendanceEventIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.EventDate <> t.EventDate OR (s.EventDate IS NULL AND t.EventDate IS NOT NULL) OR (s.EventDate IS NOT NULL AND t.EventDate IS NULL) OR s.AttendanceStatus COLLATE Latin1_General_100_BIN2 <> t.AttendanceStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.AttendanceStatus) <> DATALENGTH(t.AttendanceStatus) OR (s.AttendanceStatus IS NULL AND t.AttendanceStatus IS NOT NULL) OR (s.AttendanceStatus IS NOT NULL AND t.AttendanceStatus IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSUserIdentifier <> t.LMSUserIdentifier OR (s.r_LMSUserIdentifier IS NULL AND t.LMSUserIdentifier IS NOT NULL) OR (s.r_LMSUserIdentifier IS NOT NULL AND t.LMSUserIdentifier IS NULL) OR s.r_LMSSectionIdentifier <> t.LMSSectionIdentifier OR (s.r_LMSSectionIdentifier IS NULL AND t.LMSSectionIdentifier IS NOT NULL) OR (s.r_LMSSectionIdentifier IS NOT NULL AND t.LMSSectionIdentifier IS NULL) OR s.r_LMSUserLMSSectionAssociationIdentifier <> t.LMSUserLMSSectionAssociationIdentifier OR (s.r_LMSUserLMSSectionAssociationIdentifier IS NULL AND t.LMSUserLMSSectionAssociationIdentifier IS NOT NULL) OR (s.r_LMSUserLMSSectionAssociationIdentifier IS NOT NULL AND t.LMSUserLMSSectionAssociationIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmsuserattendanceevent AS s JOIN lms.[LMSUserAttendanceEvent] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmsuserattendanceevent
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSUserSourceSystemIdentifier, r_LMSUserIdentifier, p_LMSSectionSourceSystemIdentifier, r_LMSSectionIdentifier FROM #lmsds_stage_lmsuserattendanceevent WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET EventDate = s.EventDate, AttendanceStatus = s.AttendanceStatus, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSUserIdentifier = s.r_LMSUserIdentifier, LMSSectionIdentifier = s.r_LMSSectionIdentifier, LMSUserLMSSectionAssociationIdentifier = s.r_LMSUserLMSSectionAssociationIdentifier, DeletedAt = NULL FROM lms.[LMSUserAttendanceEvent] AS t JOIN #lmsds_stage_lmsuserattendanceevent AS s ON t.LMSUserAttendanceEventIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSUserAttendanceEvent] (SourceSystemIdentifier, SourceSystem, EventDate, AttendanceStatus, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSUserIdentifier, LMSSectionIdentifier, LMSUserLMSSectionAssociationIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.EventDate, s.AttendanceStatus, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSUserIdentifier, s.r_LMSSectionIdentifier, s.r_LMSUserLMSSectionAssociationIdentifier FROM #lmsds_stage_lmsuserattendanceevent AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSUserAttendanceEvent] AS t WHERE t.SourceSystem = $2 AND t.LMSSectionIdentifier = (SELECT sec.LMSSectionIdentifier FROM lms.[LMSSection] AS sec WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmsuserattendanceevent AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "section-activities": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmssectionactivity') IS NULL CREATE TABLE #lmsds_stage_lmssectionactivity (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, ActivityType nvarchar(60) COLLATE DATABASE_DEFAULT, ActivityDateTime datetime2, ActivityStatus nvarchar(60) COLLATE DATABASE_DEFAULT, ParentSourceSystemIdentifier nvarchar(255) COLLATE DATABASE_DEFAULT, ActivityTimeInMinutes int, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSSectionSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSSectionIdentifier int, p_LMSUserSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssectionactivity
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssectionactivity
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmssectionactivity SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmssectionactivity WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSSectionIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSSectionIdentifier = p.LMSSectionIdentifier FROM #lmsds_stage_lmssectionactivity AS s JOIN lms.[LMSSection] AS p ON p.SourceSystemIdentifier = s.p_LMSSectionSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "resolveParent(LMSUserIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserIdentifier = p.LMSUserIdentifier FROM #lmsds_stage_lmssectionactivity AS s JOIN lms.[LMSUser] AS p ON p.SourceSystemIdentifier = s.p_LMSUserSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmssectionactivity SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSSectionSourceSystemIdentifier IS NOT NULL AND r_LMSSectionIdentifier IS NULL) OR (p_LMSUserSourceSystemIdentifier IS NOT NULL AND r_LMSUserIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSSectionActivityIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.ActivityType COLLATE Latin1_General_100_BIN2 <> t.ActivityType COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ActivityType) <> DATALENGTH(t.ActivityType) OR (s.ActivityType IS NULL AND t.ActivityType IS NOT NULL) OR (s.ActivityType IS NOT NULL AND t.ActivityType IS NULL) OR s.ActivityDateTime <> t.ActivityDateTime OR (s.ActivityDateTime IS NULL AND t.ActivityDateTime IS NOT NULL) OR (s.ActivityDateTime IS NOT NULL AND t.ActivityDateTime IS NULL) OR s.ActivityStatus COLLATE Latin1_General_100_BIN2 <> t.ActivityStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ActivityStatus) <> DATALENGTH(t.ActivityStatus) OR (s.ActivityStatus IS NULL AND t.ActivityStatus IS NOT NULL) OR (s.ActivityStatus IS NOT NULL AND t.ActivityStatus IS NULL) OR s.ParentSourceSystemIdentifier COLLATE Latin1_General_100_BIN2 <> t.ParentSourceSystemIdentifier COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ParentSourceSystemIdentifier) <> DATALENGTH(t.ParentSourceSystemIdentifier) OR (s.ParentSourceSystemIdentifier IS NULL AND t.ParentSourceSystemIdentifier IS NOT NULL) OR (s.ParentSourceSystemIdentifier IS NOT NULL AND t.ParentSourceSystemIdentifier IS NULL) OR s.ActivityTimeInMinutes <> t.ActivityTimeInMinutes OR (s.ActivityTimeInMinutes IS NULL AND t.ActivityTimeInMinutes IS NOT NULL) OR (s.ActivityTimeInMinutes IS NOT NULL AND t.ActivityTimeInMinutes IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSSectionIdentifier <> t.LMSSectionIdentifier OR (s.r_LMSSectionIdentifier IS NULL AND t.LMSSectionIdentifier IS NOT NULL) OR (s.r_LMSSectionIdentifier IS NOT NULL AND t.LMSSectionIdentifier IS NULL) OR s.r_LMSUserIdentifier <> t.LMSUserIdentifier OR (s.r_LMSUserIdentifier IS NULL AND t.LMSUserIdentifier IS NOT NULL) OR (s.r_LMSUserIdentifier IS NOT NULL AND t.LMSUserIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmssectionactivity AS s JOIN lms.[LMSSectionActivity] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmssectionactivity
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSSectionSourceSystemIdentifier, r_LMSSectionIdentifier, p_LMSUserSourceSystemIdentifier, r_LMSUserIdentifier FROM #lmsds_stage_lmssectionactivity WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET ActivityType = s.ActivityType, ActivityDateTime = s.ActivityDateTime, ActivityStatus = s.ActivityStatus, ParentSourceSystemIdentifier = s.ParentSourceSystemIdentifier, ActivityTimeInMinutes = s.ActivityTimeInMinutes, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSSectionIdentifier = s.r_LMSSectionIdentifier, LMSUserIdentifier = s.r_LMSUserIdentifier, DeletedAt = NULL FROM lms.[LMSSectionActivity] AS t JOIN #lmsds_stage_lmssectionactivity AS s ON t.LMSSectionActivityIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSSectionActivity] (SourceSystemIdentifier, SourceSystem, ActivityType, ActivityDateTime, ActivityStatus, ParentSourceSystemIdentifier, ActivityTimeInMinutes, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSSectionIdentifier, LMSUserIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.ActivityType, s.ActivityDateTime, s.ActivityStatus, s.ParentSourceSystemIdentifier, s.ActivityTimeInMinutes, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSSectionIdentifier, s.r_LMSUserIdentifier FROM #lmsds_stage_lmssectionactivity AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSSectionActivity] AS t WHERE t.SourceSystem = $2 AND t.LMSSectionIdentifier = (SELECT sec.LMSSectionIdentifier FROM lms.[LMSSection] AS sec WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmssectionactivity AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "grades": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmsgrade') IS NULL CREATE TABLE #lmsds_stage_lmsgrade (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, Grade nvarchar(20) COLLATE DATABASE_DEFAULT, GradeType nvarchar(60) COLLATE DATABASE_DEFAULT, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSUserLMSSectionAssociationSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserLMSSectionAssociationIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsgrade
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmsgrade
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsgrade SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmsgrade WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSUserLMSSectionAssociationIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserLMSSectionAssociationIdentifier = p.LMSUserLMSSectionAssociationIdentifier FROM #lmsds_stage_lmsgrade AS s JOIN lms.[LMSUserLMSSectionAssociation] AS p ON p.SourceSystemIdentifier = s.p_LMSUserLMSSectionAssociationSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markGradesOfOtherSections": #"""
      -- parameters: [N'sec-1', N'Canvas']
      UPDATE #lmsds_stage_lmsgrade SET row_ok = 0, other_section = 1 WHERE row_ok = 1 AND r_LMSUserLMSSectionAssociationIdentifier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lms.[LMSUserLMSSectionAssociation] AS a JOIN lms.[LMSSection] AS sec ON sec.LMSSectionIdentifier = a.LMSSectionIdentifier WHERE a.LMSUserLMSSectionAssociationIdentifier = #lmsds_stage_lmsgrade.r_LMSUserLMSSectionAssociationIdentifier AND sec.SourceSystemIdentifier = $1 AND sec.SourceSystem = $2)
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmsgrade SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSUserLMSSectionAssociationSourceSystemIdentifier IS NOT NULL AND r_LMSUserLMSSectionAssociationIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSGradeIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.Grade COLLATE Latin1_General_100_BIN2 <> t.Grade COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.Grade) <> DATALENGTH(t.Grade) OR (s.Grade IS NULL AND t.Grade IS NOT NULL) OR (s.Grade IS NOT NULL AND t.Grade IS NULL) OR s.GradeType COLLATE Latin1_General_100_BIN2 <> t.GradeType COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.GradeType) <> DATALENGTH(t.GradeType) OR (s.GradeType IS NULL AND t.GradeType IS NOT NULL) OR (s.GradeType IS NOT NULL AND t.GradeType IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSUserLMSSectionAssociationIdentifier <> t.LMSUserLMSSectionAssociationIdentifier OR (s.r_LMSUserLMSSectionAssociationIdentifier IS NULL AND t.LMSUserLMSSectionAssociationIdentifier IS NOT NULL) OR (s.r_LMSUserLMSSectionAssociationIdentifier IS NOT NULL AND t.LMSUserLMSSectionAssociationIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmsgrade AS s JOIN lms.[LMSGrade] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmsgrade
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSUserLMSSectionAssociationSourceSystemIdentifier, r_LMSUserLMSSectionAssociationIdentifier FROM #lmsds_stage_lmsgrade WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET Grade = s.Grade, GradeType = s.GradeType, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSUserLMSSectionAssociationIdentifier = s.r_LMSUserLMSSectionAssociationIdentifier, DeletedAt = NULL FROM lms.[LMSGrade] AS t JOIN #lmsds_stage_lmsgrade AS s ON t.LMSGradeIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSGrade] (SourceSystemIdentifier, SourceSystem, Grade, GradeType, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSUserLMSSectionAssociationIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.Grade, s.GradeType, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSUserLMSSectionAssociationIdentifier FROM #lmsds_stage_lmsgrade AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
      "softDeleteAbsent": #"""
      -- parameters: [N'2024-01-02 03:04:05', N'Canvas', N'sec-1']
      UPDATE t SET DeletedAt = CAST($1 AS datetime2) FROM lms.[LMSGrade] AS t WHERE t.SourceSystem = $2 AND t.LMSUserLMSSectionAssociationIdentifier IN (SELECT a.LMSUserLMSSectionAssociationIdentifier FROM lms.[LMSUserLMSSectionAssociation] AS a JOIN lms.[LMSSection] AS sec ON sec.LMSSectionIdentifier = a.LMSSectionIdentifier WHERE sec.SourceSystemIdentifier = $3 AND sec.SourceSystem = $2) AND t.DeletedAt IS NULL AND NOT EXISTS (SELECT 1 FROM #lmsds_stage_lmsgrade AS s WHERE s.SourceSystemIdentifier = t.SourceSystemIdentifier)
      """#,
    ],
    "system-activities": [
      "createStage": #"""
      -- parameters: []
      IF OBJECT_ID(N'tempdb..#lmsds_stage_lmssystemactivity') IS NULL CREATE TABLE #lmsds_stage_lmssystemactivity (line_no int, row_ok int, dup_key int, other_section int, orphan int, tid int, was_deleted int, changed int, SourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, SourceSystem nvarchar(255) COLLATE DATABASE_DEFAULT, ActivityType nvarchar(60) COLLATE DATABASE_DEFAULT, ActivityDateTime datetime2, ActivityStatus nvarchar(60) COLLATE DATABASE_DEFAULT, ParentSourceSystemIdentifier nvarchar(255) COLLATE DATABASE_DEFAULT, ActivityTimeInMinutes int, SourceCreateDate datetime2, SourceLastModifiedDate datetime2, CreateDate datetime2, LastModifiedDate datetime2, p_LMSUserSourceSystemIdentifier nvarchar(4000) COLLATE DATABASE_DEFAULT, r_LMSUserIdentifier int)
      """#,
      "clearStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssystemactivity
      """#,
      "truncateStage": #"""
      -- parameters: []
      DELETE FROM #lmsds_stage_lmssystemactivity
      """#,
      "markDuplicateKeys": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmssystemactivity SET row_ok = 0, dup_key = 1 WHERE SourceSystemIdentifier IN (SELECT SourceSystemIdentifier FROM #lmsds_stage_lmssystemactivity WHERE SourceSystemIdentifier IS NOT NULL GROUP BY SourceSystemIdentifier HAVING COUNT(*) > 1)
      """#,
      "resolveParent(LMSUserIdentifier)": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET r_LMSUserIdentifier = p.LMSUserIdentifier FROM #lmsds_stage_lmssystemactivity AS s JOIN lms.[LMSUser] AS p ON p.SourceSystemIdentifier = s.p_LMSUserSourceSystemIdentifier AND p.SourceSystem = $1 WHERE s.row_ok = 1
      """#,
      "markOrphans": #"""
      -- parameters: []
      UPDATE #lmsds_stage_lmssystemactivity SET orphan = 1 WHERE row_ok = 1 AND ((p_LMSUserSourceSystemIdentifier IS NOT NULL AND r_LMSUserIdentifier IS NULL))
      """#,
      "matchExisting": #"""
      -- parameters: [N'Canvas']
      UPDATE s SET tid = t.LMSSystemActivityIdentifier, was_deleted = CASE WHEN t.DeletedAt IS NULL THEN 0 ELSE 1 END, changed = CASE WHEN s.ActivityType COLLATE Latin1_General_100_BIN2 <> t.ActivityType COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ActivityType) <> DATALENGTH(t.ActivityType) OR (s.ActivityType IS NULL AND t.ActivityType IS NOT NULL) OR (s.ActivityType IS NOT NULL AND t.ActivityType IS NULL) OR s.ActivityDateTime <> t.ActivityDateTime OR (s.ActivityDateTime IS NULL AND t.ActivityDateTime IS NOT NULL) OR (s.ActivityDateTime IS NOT NULL AND t.ActivityDateTime IS NULL) OR s.ActivityStatus COLLATE Latin1_General_100_BIN2 <> t.ActivityStatus COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ActivityStatus) <> DATALENGTH(t.ActivityStatus) OR (s.ActivityStatus IS NULL AND t.ActivityStatus IS NOT NULL) OR (s.ActivityStatus IS NOT NULL AND t.ActivityStatus IS NULL) OR s.ParentSourceSystemIdentifier COLLATE Latin1_General_100_BIN2 <> t.ParentSourceSystemIdentifier COLLATE Latin1_General_100_BIN2 OR DATALENGTH(s.ParentSourceSystemIdentifier) <> DATALENGTH(t.ParentSourceSystemIdentifier) OR (s.ParentSourceSystemIdentifier IS NULL AND t.ParentSourceSystemIdentifier IS NOT NULL) OR (s.ParentSourceSystemIdentifier IS NOT NULL AND t.ParentSourceSystemIdentifier IS NULL) OR s.ActivityTimeInMinutes <> t.ActivityTimeInMinutes OR (s.ActivityTimeInMinutes IS NULL AND t.ActivityTimeInMinutes IS NOT NULL) OR (s.ActivityTimeInMinutes IS NOT NULL AND t.ActivityTimeInMinutes IS NULL) OR s.SourceCreateDate <> t.SourceCreateDate OR (s.SourceCreateDate IS NULL AND t.SourceCreateDate IS NOT NULL) OR (s.SourceCreateDate IS NOT NULL AND t.SourceCreateDate IS NULL) OR s.SourceLastModifiedDate <> t.SourceLastModifiedDate OR (s.SourceLastModifiedDate IS NULL AND t.SourceLastModifiedDate IS NOT NULL) OR (s.SourceLastModifiedDate IS NOT NULL AND t.SourceLastModifiedDate IS NULL) OR s.CreateDate <> t.CreateDate OR (s.CreateDate IS NULL AND t.CreateDate IS NOT NULL) OR (s.CreateDate IS NOT NULL AND t.CreateDate IS NULL) OR s.LastModifiedDate <> t.LastModifiedDate OR (s.LastModifiedDate IS NULL AND t.LastModifiedDate IS NOT NULL) OR (s.LastModifiedDate IS NOT NULL AND t.LastModifiedDate IS NULL) OR s.r_LMSUserIdentifier <> t.LMSUserIdentifier OR (s.r_LMSUserIdentifier IS NULL AND t.LMSUserIdentifier IS NOT NULL) OR (s.r_LMSUserIdentifier IS NOT NULL AND t.LMSUserIdentifier IS NULL) THEN 1 ELSE 0 END FROM #lmsds_stage_lmssystemactivity AS s JOIN lms.[LMSSystemActivity] AS t ON t.SourceSystemIdentifier = s.SourceSystemIdentifier AND t.SourceSystem = $1 WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0)
      """#,
      "countRows": #"""
      -- parameters: []
      SELECT COUNT(*), COALESCE(SUM(CASE WHEN row_ok = 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND orphan = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NULL THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN row_ok = 1 AND (orphan IS NULL OR orphan = 0) AND tid IS NOT NULL AND was_deleted = 0 AND changed = 0 THEN 1 ELSE 0 END), 0) FROM #lmsds_stage_lmssystemactivity
      """#,
      "describeSetAside": #"""
      -- parameters: []
      SELECT TOP 5 line_no, SourceSystemIdentifier, dup_key, other_section, orphan, p_LMSUserSourceSystemIdentifier, r_LMSUserIdentifier FROM #lmsds_stage_lmssystemactivity WHERE dup_key = 1 OR other_section = 1 OR (row_ok = 1 AND orphan = 1) ORDER BY line_no
      """#,
      "applyUpdates": #"""
      -- parameters: []
      UPDATE t SET ActivityType = s.ActivityType, ActivityDateTime = s.ActivityDateTime, ActivityStatus = s.ActivityStatus, ParentSourceSystemIdentifier = s.ParentSourceSystemIdentifier, ActivityTimeInMinutes = s.ActivityTimeInMinutes, SourceCreateDate = s.SourceCreateDate, SourceLastModifiedDate = s.SourceLastModifiedDate, CreateDate = s.CreateDate, LastModifiedDate = s.LastModifiedDate, LMSUserIdentifier = s.r_LMSUserIdentifier, DeletedAt = NULL FROM lms.[LMSSystemActivity] AS t JOIN #lmsds_stage_lmssystemactivity AS s ON t.LMSSystemActivityIdentifier = s.tid WHERE (s.was_deleted = 1 OR s.changed = 1)
      """#,
      "applyInserts": #"""
      -- parameters: []
      INSERT INTO lms.[LMSSystemActivity] (SourceSystemIdentifier, SourceSystem, ActivityType, ActivityDateTime, ActivityStatus, ParentSourceSystemIdentifier, ActivityTimeInMinutes, SourceCreateDate, SourceLastModifiedDate, CreateDate, LastModifiedDate, LMSUserIdentifier) SELECT s.SourceSystemIdentifier, s.SourceSystem, s.ActivityType, s.ActivityDateTime, s.ActivityStatus, s.ParentSourceSystemIdentifier, s.ActivityTimeInMinutes, s.SourceCreateDate, s.SourceLastModifiedDate, s.CreateDate, s.LastModifiedDate, s.r_LMSUserIdentifier FROM #lmsds_stage_lmssystemactivity AS s WHERE s.row_ok = 1 AND (s.orphan IS NULL OR s.orphan = 0) AND s.tid IS NULL ORDER BY s.line_no
      """#,
    ],
  ]
}
