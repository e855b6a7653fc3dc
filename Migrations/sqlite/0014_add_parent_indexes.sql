-- The merges scope soft-deletes to a section or an assignment and resolve rows through their parents;
-- without these every file of a child resource scans its whole table. Same set as on PostgreSQL.
CREATE INDEX ix_assignment_section
    ON Assignment (LMSSectionIdentifier);
CREATE INDEX ix_assignmentsubmission_assignment
    ON AssignmentSubmission (AssignmentIdentifier);
CREATE INDEX ix_assignmentsubmission_user
    ON AssignmentSubmission (LMSUserIdentifier);
CREATE INDEX ix_lmsuserlmssectionassociation_section
    ON LMSUserLMSSectionAssociation (LMSSectionIdentifier);
CREATE INDEX ix_lmsuserlmssectionassociation_user_section
    ON LMSUserLMSSectionAssociation (LMSUserIdentifier, LMSSectionIdentifier);
CREATE INDEX ix_lmssectionactivity_section
    ON LMSSectionActivity (LMSSectionIdentifier);
CREATE INDEX ix_lmssectionactivity_user
    ON LMSSectionActivity (LMSUserIdentifier);
CREATE INDEX ix_lmssystemactivity_user
    ON LMSSystemActivity (LMSUserIdentifier);
CREATE INDEX ix_lmsuserattendanceevent_user
    ON LMSUserAttendanceEvent (LMSUserIdentifier);
CREATE INDEX ix_lmsuserattendanceevent_section_user
    ON LMSUserAttendanceEvent (LMSSectionIdentifier, LMSUserIdentifier, LMSUserLMSSectionAssociationIdentifier);
CREATE INDEX ix_lmsuserattendanceevent_association
    ON LMSUserAttendanceEvent (LMSUserLMSSectionAssociationIdentifier);
CREATE INDEX ix_lmsgrade_association
    ON LMSGrade (LMSUserLMSSectionAssociationIdentifier);
