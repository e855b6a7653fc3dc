-- Which provider owns a SourceSystem value, so two providers cannot soft-delete each other's rows
-- (load-semantics §1).
CREATE TABLE SourceSystemOwner (
    SourceSystem TEXT NOT NULL PRIMARY KEY,
    Provider     TEXT NOT NULL,
    ClaimedAt    TEXT NOT NULL
);
