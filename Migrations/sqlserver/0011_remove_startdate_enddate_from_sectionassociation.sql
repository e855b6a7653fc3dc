-- The UDM has no enrolment dates; the Ed-Fi loader removed them in its script of this name.
ALTER TABLE lms.LMSUserLMSSectionAssociation DROP COLUMN StartDate;
ALTER TABLE lms.LMSUserLMSSectionAssociation DROP COLUMN EndDate;
