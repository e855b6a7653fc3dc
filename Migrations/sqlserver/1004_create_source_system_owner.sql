-- Which provider owns a SourceSystem value, so two providers cannot soft-delete each other's rows
-- (load-semantics §1). SourceSystem keeps the database's collation: it must name the same values the
-- entity tables' unique keys treat as one.
CREATE TABLE lms.SourceSystemOwner (
    SourceSystem nvarchar(255) NOT NULL,
    Provider     nvarchar(255) COLLATE Latin1_General_100_BIN2 NOT NULL,
    ClaimedAt    datetime2     NOT NULL,
    CONSTRAINT SourceSystemOwner_PK PRIMARY KEY CLUSTERED (SourceSystem)
);
