-- The merges scope soft-deletes to a section or an assignment and resolve rows through their parents;
-- without these every file of a child resource scans its whole table. The Ed-Fi loader's schema has
-- none of them (its attendance and submission-type indexes already cover those two tables).
CREATE NONCLUSTERED INDEX IX_Assignment_Section
    ON lms.Assignment (LMSSectionIdentifier);
CREATE NONCLUSTERED INDEX IX_AssignmentSubmission_Assignment
    ON lms.AssignmentSubmission (AssignmentIdentifier);
CREATE NONCLUSTERED INDEX IX_AssignmentSubmission_User
    ON lms.AssignmentSubmission (LMSUserIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSUserLMSSectionAssociation_Section
    ON lms.LMSUserLMSSectionAssociation (LMSSectionIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSUserLMSSectionAssociation_User_Section
    ON lms.LMSUserLMSSectionAssociation (LMSUserIdentifier, LMSSectionIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSSectionActivity_Section
    ON lms.LMSSectionActivity (LMSSectionIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSSectionActivity_User
    ON lms.LMSSectionActivity (LMSUserIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSSystemActivity_User
    ON lms.LMSSystemActivity (LMSUserIdentifier);
CREATE NONCLUSTERED INDEX IX_LMSUserAttendanceEvent_Association
    ON lms.LMSUserAttendanceEvent (LMSUserLMSSectionAssociationIdentifier);
