-- The merges scope soft-deletes to a section or an assignment and resolve rows through their parents;
-- without these every file of a child resource scans its whole table. The Ed-Fi loader's schema has
-- none of them (its attendance and submission-type indexes already cover those two tables).
CREATE INDEX ix_assignment_section
    ON lms.Assignment (LMSSectionIdentifier);
CREATE INDEX ix_assignmentsubmission_assignment
    ON lms.AssignmentSubmission (AssignmentIdentifier);
CREATE INDEX ix_assignmentsubmission_user
    ON lms.AssignmentSubmission (LMSUserIdentifier);
CREATE INDEX ix_lmsuserlmssectionassociation_section
    ON lms.LMSUserLMSSectionAssociation (LMSSectionIdentifier);
CREATE INDEX ix_lmsuserlmssectionassociation_user_section
    ON lms.LMSUserLMSSectionAssociation (LMSUserIdentifier, LMSSectionIdentifier);
CREATE INDEX ix_lmssectionactivity_section
    ON lms.LMSSectionActivity (LMSSectionIdentifier);
CREATE INDEX ix_lmssectionactivity_user
    ON lms.LMSSectionActivity (LMSUserIdentifier);
CREATE INDEX ix_lmssystemactivity_user
    ON lms.LMSSystemActivity (LMSUserIdentifier);
CREATE INDEX ix_lmsuserattendanceevent_association
    ON lms.LMSUserAttendanceEvent (LMSUserLMSSectionAssociationIdentifier);
