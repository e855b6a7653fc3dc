#!/usr/bin/env python3
"""Parses T-SQL statements with sqlglot (dialect "tsql") and rejects what SQL Server would refuse.

No SQL Server runs where we build, so this is the check our SQL Server text gets besides exact-text
tests. Input on stdin: statements (or whole scripts) separated by a line that is exactly
`-- statement`. Parameters written `$N` are read as `@pN`, as the ODBC layer binds them.

sqlglot's T-SQL reader is lenient: it accepts several PostgreSQL forms that SQL Server refuses
(IS DISTINCT FROM before 2022, LIMIT, ON CONFLICT, CREATE … IF NOT EXISTS, an alias on an UPDATE
target, GREATEST). Those, a subquery inside an aggregate (SQL Server's error 130), functions sqlglot
does not know and is not told about below, and any text it could only keep as an opaque command are
reported as failures too. Each batch is split at its top-level semicolons (every statement ends in
one). sqlglot misreads `IF <condition> <statement>` unless the statement is a SELECT, so an IF is
checked as its condition (in `SELECT 1 WHERE …`) and its statement, each parsed on its own; sqlglot
has no THROW, whose one form we use (`THROW <int>, '<message>', <int>`) is checked by pattern.
The text of `EXEC sys.sp_executesql N'…'` is parsed as a batch too.

Exit status 0 when every statement passes; otherwise 1, naming the first that fails (its number,
its first line and the reason) on stderr. Usage: scripts/tsql-parse.py < statements
"""
import re
import sys

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError
    from sqlglot.tokens import TokenType
except ImportError:  # the caller decides whether that is a skip or a failure
    print("tsql-parse: sqlglot is not installed", file=sys.stderr)
    sys.exit(3)

SEPARATOR = "-- statement"

# Built-in T-SQL functions sqlglot leaves as anonymous calls; any other unknown name is an error.
KNOWN_FUNCTIONS = {
    "OBJECT_ID", "COL_LENGTH", "SYSUTCDATETIME", "DATALENGTH", "SCHEMA_ID", "INDEXPROPERTY",
}

AGGREGATES = (exp.Sum, exp.Count, exp.Avg, exp.Min, exp.Max)

THROW = re.compile(r"^THROW\s+(\d+)\s*,\s*N?'(?:[^']|'')*'\s*,\s*\d+\s*$", re.IGNORECASE)

# Words sqlglot may swallow as an alias where SQL Server would stop with a syntax error.
RESERVED = {
    "BEGIN", "END", "EXEC", "EXECUTE", "IF", "ELSE", "THROW", "SELECT", "INSERT", "UPDATE", "DELETE",
    "CREATE", "ALTER", "DROP", "DECLARE", "SET", "WHERE", "FROM", "JOIN", "ON", "RETURN", "MERGE",
}

STATEMENT_STARTS = {
    "EXEC", "EXECUTE", "CREATE", "ALTER", "INSERT", "UPDATE", "DELETE", "SELECT", "THROW", "DECLARE",
    "DROP", "MERGE", "SET",
}


def split(text):
    chunks, current = [], []
    for line in text.split("\n"):
        if line.strip() == SEPARATOR:
            chunks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    chunks.append("\n".join(current))
    return [c for c in chunks if strip_comments(c).strip()]


def strip_comments(sql):
    return re.sub(r"--[^\n]*", "", sql)


def tokenize(sql):
    return sqlglot.Dialect.get_or_raise("tsql").tokenize(sql)


def top_level_statements(sql):
    """The batch's statements, split at semicolons outside parentheses (every statement ends in one)."""
    pieces, begin, depth = [], 0, 0
    for token in tokenize(sql):
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif token.token_type == TokenType.SEMICOLON and depth == 0:
            pieces.append(sql[begin : token.start])
            begin = token.end + 1
    pieces.append(sql[begin:])
    return [p.strip() for p in pieces if strip_comments(p).strip()]


def check_if(sql, tokens):
    """IF <condition> <statement>: sqlglot misreads an IF whose body is not a SELECT, so the
    condition is parsed as a WHERE clause and the body as a statement of its own."""
    depth = 0
    for token in tokens[1:]:
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and token.text.upper() in STATEMENT_STARTS:
            condition = sql[tokens[1].start : token.start]
            check_statement(f"SELECT 1 WHERE {condition}")
            check_statement(sql[token.start :])
            return
    raise ValueError("IF without a statement to run")


def check_statement(sql):
    tokens = tokenize(sql)
    if not tokens:
        return
    head = tokens[0].text.upper()
    if head == "IF":
        return check_if(sql, tokens)
    if head in ("BEGIN", "ELSE", "GO"):
        raise ValueError(f"{head} blocks are not used in our SQL (one statement per IF, no GO)")
    if head == "THROW":
        # sqlglot has no THROW; its only form we use is checked by pattern.
        match = THROW.match(sql.strip())
        if not match:
            raise ValueError("THROW is not of the form THROW <int>, '<message>', <int>")
        if int(match.group(1)) < 50000:
            raise ValueError("THROW error numbers must be 50000 or more")
        return
    trees = [t for t in sqlglot.parse(sql, read="tsql") if t is not None]
    if len(trees) != 1:
        raise ValueError(f"read as {len(trees)} statements")
    problem = lint(trees[0], tokens)
    if problem:
        raise ValueError(problem)
    # sp_executesql N'…' carries a batch of its own: parse that text as well.
    for node in trees[0].walk():
        if isinstance(node, exp.ExecuteSql):
            for literal in node.expressions[:1]:
                check(literal.name)


def lint(tree, tokens):
    for token in tokens:
        if token.token_type == TokenType.LIMIT:
            return "LIMIT is not T-SQL (use TOP)"
        if token.text.upper() in ("TEMPORARY", "TEMP") and token.token_type != TokenType.STRING:
            return "CREATE TEMPORARY is not T-SQL (use #tables)"
        if token.token_type == TokenType.DCOLON:
            return ":: casts are not T-SQL"
    for node in tree.walk():
        if isinstance(node, (exp.NullSafeEQ, exp.NullSafeNEQ)):
            return "IS [NOT] DISTINCT FROM needs SQL Server 2022"
        if isinstance(node, exp.OnConflict):
            return "ON CONFLICT is not T-SQL"
        if isinstance(node, (exp.Greatest, exp.Least)):
            return "GREATEST/LEAST need SQL Server 2022"
        if isinstance(node, exp.Command):
            return f"sqlglot kept this as an opaque command: {node.sql(dialect='tsql')[:80]}"
        if isinstance(node, exp.Create):
            if node.args.get("exists"):
                return "CREATE … IF NOT EXISTS is not T-SQL"
        if isinstance(node, exp.Update):
            target = node.this
            if isinstance(target, exp.Table) and target.alias:
                return "an UPDATE target cannot have an alias in T-SQL (UPDATE alias … FROM table AS alias)"
        if isinstance(node, AGGREGATES) and any(
            isinstance(inner, (exp.Subquery, exp.Exists, exp.Select)) for inner in node.walk() if inner is not node
        ):
            return "an aggregate over a subquery (SQL Server error 130)"
        if isinstance(node, (exp.Alias, exp.TableAlias)) and node.name.upper() in RESERVED:
            return f"the keyword {node.name} was read as an alias"
        if isinstance(node, exp.Anonymous) and node.name.upper() not in KNOWN_FUNCTIONS:
            return f"unknown function {node.name}"
    return None


def check(sql):
    sql = re.sub(r"\$(\d+)", r"@p\1", sql)
    for statement in top_level_statements(sql):
        try:
            check_statement(statement)
        except (ParseError, ValueError, sqlglot.errors.TokenError) as error:
            if str(error).startswith("in `"):
                raise
            where = " ".join(strip_comments(statement).split())[:100]
            raise ValueError(f"in `{where}`: {str(error).splitlines()[0]}") from error


def main():
    import logging

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    chunks = split(sys.stdin.read())
    for number, chunk in enumerate(chunks, 1):
        try:
            check(chunk)
        except (ParseError, ValueError, sqlglot.errors.TokenError) as error:
            first = next(line for line in strip_comments(chunk).split("\n") if line.strip())
            reason = str(error).split("\n")[0]
            print(f"tsql-parse: input {number} fails: {first.strip()[:120]}\n  {reason}", file=sys.stderr)
            return 1
    print(f"tsql-parse: all {len(chunks)} inputs parse as T-SQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
