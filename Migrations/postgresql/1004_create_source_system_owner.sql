-- Which provider owns a SourceSystem value, so two providers cannot soft-delete each other's rows
-- (load-semantics §1).
CREATE TABLE lms.SourceSystemOwner (
    SourceSystem varchar(255) NOT NULL PRIMARY KEY,
    Provider     varchar(255) NOT NULL,
    ClaimedAt    timestamp    NOT NULL
);
