// Golden SQL Server text, generated once with LMSDS_WRITE_GOLDEN and read statement by statement
// before it was pinned (see SQLServerMergeTextTests). Change it only together with the SQL it pins.
enum SQLServerGolden {
  static let ledger = #"""
    -- query [N'canvas', N'users/users-2024.csv']
    SELECT l.RelativePath, l.Sha256, l.Outcome FROM lms.[FileLedger] AS l JOIN (VALUES ($2)) AS w (path) ON l.RelativePath = w.path WHERE l.Provider = $1 AND l.Mismatched = 0 ORDER BY l.FileLedgerIdentifier
    -- statement
    -- query [N'canvas']
    SELECT Resource, ScopeKey, NameTimestamp FROM lms.[ScopeWatermark] WHERE Provider = $1
    -- statement
    -- execute [N'canvas', N'users', N'', N'2024-01-02 03:04:05']
    MERGE lms.[ScopeWatermark] WITH (HOLDLOCK) AS w USING (SELECT $1 AS Provider, $2 AS Resource, $3 AS ScopeKey, CAST($4 AS datetime2) AS NameTimestamp) AS n ON w.Provider = n.Provider AND w.Resource = n.Resource AND w.ScopeKey = n.ScopeKey WHEN MATCHED AND w.NameTimestamp < n.NameTimestamp THEN UPDATE SET NameTimestamp = n.NameTimestamp WHEN NOT MATCHED THEN INSERT (Provider, Resource, ScopeKey, NameTimestamp) VALUES (n.Provider, n.Resource, n.ScopeKey, n.NameTimestamp);
    -- statement
    -- query []
    SELECT SourceSystem, Provider FROM lms.[SourceSystemOwner]
    -- statement
    -- query []
    SELECT Provider, SourceSystem FROM lms.[SourceSystemOwner] ORDER BY ClaimedAt DESC, SourceSystem DESC
    -- statement
    -- execute [N'canvas', N'assignments', N'section=sec-1', N'2024-01-02 03:04:05']
    MERGE lms.[ScopeWatermark] WITH (HOLDLOCK) AS w USING (SELECT $1 AS Provider, $2 AS Resource, $3 AS ScopeKey, CAST($4 AS datetime2) AS NameTimestamp) AS n ON w.Provider = n.Provider AND w.Resource = n.Resource AND w.ScopeKey = n.ScopeKey WHEN MATCHED AND w.NameTimestamp < n.NameTimestamp THEN UPDATE SET NameTimestamp = n.NameTimestamp WHEN NOT MATCHED THEN INSERT (Provider, Resource, ScopeKey, NameTimestamp) VALUES (n.Provider, n.Resource, n.ScopeKey, n.NameTimestamp);
    -- statement
    -- query [N'Canvas']
    SELECT Provider FROM lms.[SourceSystemOwner] WHERE SourceSystem = $1
    -- statement
    -- query [N'canvas']
    SELECT SourceSystem FROM lms.[SourceSystemOwner] WHERE Provider = $1 ORDER BY ClaimedAt, SourceSystem
    -- statement
    -- execute [N'Canvas', N'canvas', N'2024-01-02 03:04:05']
    INSERT INTO lms.[SourceSystemOwner] (SourceSystem, Provider, ClaimedAt) VALUES ($1, $2, CAST($3 AS datetime2))
    -- statement
    -- execute [N'canvas', N'users', N'users/users-2024.csv', N'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10, NULL, N'2024-01-02 03:04:05', N'', N'loaded', 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, N'2024-01-02 03:04:05', NULL, NULL, NULL, 0, 0, NULL]
    INSERT INTO lms.[FileLedger] (Provider, Resource, RelativePath, Sha256, Size, ModifiedTime, NameTimestamp, ScopeKey, Outcome, RowsRead, Inserted, Updated, Restored, Unchanged, SoftDeleted, Orphans, Invalid, Rounded, Message, StartedAt, FinishedAt, AppliedBy, ScanId, Replay, Mismatched, DeadLetterClaimedAt) VALUES ($1, $2, $3, $4, $5, CAST($6 AS datetime2), CAST($7 AS datetime2), $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, CAST($20 AS datetime2), CAST($21 AS datetime2), $22, $23, $24, $25, CAST($26 AS datetime2))
    -- statement
    -- execute [N'canvas', N'users', N'users/users-2025.csv', N'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 10, NULL, N'2024-01-02 03:04:05', N'', N'loaded', 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, N'2024-01-02 03:04:05', NULL, NULL, NULL, 0, 0, NULL, N'canvas', N'users', N'users/users-2025.csv', N'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc', 10, NULL, N'2024-01-02 03:04:05', N'', N'loaded', 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, N'2024-01-02 03:04:05', NULL, NULL, NULL, 0, 0, NULL]
    INSERT INTO lms.[FileLedger] (Provider, Resource, RelativePath, Sha256, Size, ModifiedTime, NameTimestamp, ScopeKey, Outcome, RowsRead, Inserted, Updated, Restored, Unchanged, SoftDeleted, Orphans, Invalid, Rounded, Message, StartedAt, FinishedAt, AppliedBy, ScanId, Replay, Mismatched, DeadLetterClaimedAt) VALUES ($1, $2, $3, $4, $5, CAST($6 AS datetime2), CAST($7 AS datetime2), $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, CAST($20 AS datetime2), CAST($21 AS datetime2), $22, $23, $24, $25, CAST($26 AS datetime2)), ($27, $28, $29, $30, $31, CAST($32 AS datetime2), CAST($33 AS datetime2), $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, CAST($46 AS datetime2), CAST($47 AS datetime2), $48, $49, $50, $51, CAST($52 AS datetime2))
    -- statement
    -- query [N'canvas']
    SELECT Provider, Resource, RelativePath, Sha256, Size, ModifiedTime, NameTimestamp, ScopeKey, Outcome, RowsRead, Inserted, Updated, Restored, Unchanged, SoftDeleted, Orphans, Invalid, Rounded, Message, StartedAt, FinishedAt, AppliedBy, ScanId, Replay, Mismatched FROM lms.[FileLedger] WHERE Provider = $1 ORDER BY FileLedgerIdentifier
    -- statement
    -- query [N'canvas']
    SELECT RelativePath, Sha256, Size, ModifiedTime, Outcome FROM lms.[FileLedger] WHERE Provider = $1 AND Mismatched = 0 ORDER BY FileLedgerIdentifier
    -- statement
    -- query [N'canvas', N'users/users-2024.csv', N'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10]
    SELECT COUNT(*) FROM lms.[FileLedger] WHERE Provider = $1 AND RelativePath = $2 AND Sha256 = $3 AND Size = $4 AND Mismatched = 1
    -- statement
    -- execute [N'canvas', N'users', N'users/users-2026.csv', N'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', 10, NULL, N'2024-01-02 03:04:05', N'', N'rejected', 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL, N'2024-01-02 03:04:05', N'2024-01-02 03:04:06', NULL, NULL, 0, 0, N'2024-01-02 03:04:06']
    INSERT INTO lms.[FileLedger] (Provider, Resource, RelativePath, Sha256, Size, ModifiedTime, NameTimestamp, ScopeKey, Outcome, RowsRead, Inserted, Updated, Restored, Unchanged, SoftDeleted, Orphans, Invalid, Rounded, Message, StartedAt, FinishedAt, AppliedBy, ScanId, Replay, Mismatched, DeadLetterClaimedAt) VALUES ($1, $2, $3, $4, $5, CAST($6 AS datetime2), CAST($7 AS datetime2), $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, CAST($20 AS datetime2), CAST($21 AS datetime2), $22, $23, $24, $25, CAST($26 AS datetime2))
    -- statement
    -- query [N'canvas', N'users/users-2026.csv', N'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', N'2024-01-02 03:04:06']
    SELECT MIN(FileLedgerIdentifier) FROM lms.[FileLedger] WHERE Provider = $1 AND RelativePath = $2 AND Sha256 = $3 AND Outcome = 'rejected' AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt = CAST($4 AS datetime2)
    -- statement
    -- query [N'2024-01-02 03:04:06.000000']
    SELECT TOP 100 Provider, Resource, RelativePath, Sha256, Size, ModifiedTime, NameTimestamp, ScopeKey, Outcome, RowsRead, Inserted, Updated, Restored, Unchanged, SoftDeleted, Orphans, Invalid, Rounded, Message, StartedAt, FinishedAt, AppliedBy, ScanId, Replay, Mismatched, FileLedgerIdentifier, DeadLetterClaimedAt FROM lms.[FileLedger] WHERE DeadLetterClaimedAt IS NOT NULL AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt < CAST($1 AS datetime2) ORDER BY FileLedgerIdentifier
    -- statement
    -- execute [N'2024-01-02 03:04:06.000000', 7, N'2024-01-02 03:04:06.000000']
    UPDATE lms.[FileLedger] SET DeadLetterClaimedAt = CAST($1 AS datetime2) WHERE FileLedgerIdentifier = $2 AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt < CAST($3 AS datetime2)
    -- statement
    -- execute [N'2024-01-02 03:04:06.000000', 7, N'2024-01-02 03:04:06']
    UPDATE lms.[FileLedger] SET DeadLetterClaimedAt = CAST($1 AS datetime2) WHERE FileLedgerIdentifier = $2 AND DeadLetterAckedAt IS NULL AND DeadLetterClaimedAt = CAST($3 AS datetime2)
    -- statement
    -- execute [N'2024-01-02 03:04:06.000000', 7]
    UPDATE lms.[FileLedger] SET DeadLetterAckedAt = CAST($1 AS datetime2) WHERE FileLedgerIdentifier = $2
    """#

  static let providerLock = #"""
    DECLARE @result int; EXEC @result = sp_getapplock @Resource = $1, @LockMode = 'Exclusive', \#
    @LockOwner = 'Transaction', @LockTimeout = -1; \#
    IF @result < 0 THROW 51000, 'could not take the provider lock', 1;
    """#

  /// The calls of a migration run on a fresh database; scripts by name, checksums elided.
  static let migrationRun = #"""
    execute: DECLARE @result int; EXEC @result = sp_getapplock @Resource = N'lmsds:migrations', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1; IF @result < 0 THROW 51001, N'could not take the lmsds migration lock', 1;
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    script: <0001_initialize_lms_database>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, NULL FROM lms.MigrationJournal
    execute: IF COL_LENGTH(N'lms.MigrationJournal', N'Checksum') IS NULL ALTER TABLE lms.MigrationJournal ADD Checksum varchar(64) NULL
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0001_initialize_lms_database, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0002_create_processed_files_table>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0002_create_processed_files_table, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0003_create_user_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0003_create_user_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0004_create_section_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0004_create_section_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0005_create_assignment_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0005_create_assignment_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0006_create_section_association_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0006_create_section_association_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0007_create_assignment_submission_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0007_create_assignment_submission_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0008_create_section_activity_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0008_create_section_activity_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0009_create_system_activity_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0009_create_system_activity_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0010_create_attendance_tables>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0010_create_attendance_tables, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0011_remove_startdate_enddate_from_sectionassociation>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0011_remove_startdate_enddate_from_sectionassociation, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <0012_add_mapping_columns_for_edfi_student_and_section>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [0012_add_mapping_columns_for_edfi_student_and_section, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1001_create_grade_table>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1001_create_grade_table, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1002_create_file_ledger>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1002_create_file_ledger, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1003_create_scope_watermark>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1003_create_scope_watermark, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1004_create_source_system_owner>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1004_create_source_system_owner, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1005_add_parent_indexes>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1005_add_parent_indexes, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1006_add_ledger_mismatched>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1006_add_ledger_mismatched, <checksum>]
    commit
    begin
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    script: <1007_add_ledger_dead_letter>
    query: SELECT c.name FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(N'lms.MigrationJournal', N'U')
    query: SELECT Script, Checksum FROM lms.MigrationJournal
    execute: INSERT INTO lms.MigrationJournal (Script, InstallDate, Checksum) VALUES ($1, SYSUTCDATETIME(), $2) [1007_add_ledger_dead_letter, <checksum>]
    commit
    execute: DECLARE @result int; EXEC @result = sp_releaseapplock @Resource = N'lmsds:migrations', @LockOwner = 'Session'; IF @result < 0 THROW 51002, N'could not release the lmsds migration lock', 1;
    """#
}
