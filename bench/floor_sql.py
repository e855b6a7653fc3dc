#!/usr/bin/env python3
"""Prints the psql script of a COPY floor: every resource of TREE, all its files' rows in one file,
COPY'd into a text table shaped like its CSV header with the natural key (SourceSystemIdentifier,
SourceSystem) unique. With `sqlite`, the sqlite3 shell's script of the same floor: each file
`.import`ed into the same table, in one transaction, with lmsds's journal settings.
Usage: floor_sql.py TREE WORKDIR [sqlite] > floor.sql"""
import csv
import glob
import os
import sys

tree, work = sys.argv[1], sys.argv[2]
sqlite = len(sys.argv) > 3 and sys.argv[3] == "sqlite"
if sqlite:
    print("PRAGMA journal_mode=WAL;")
    print("PRAGMA synchronous=NORMAL;")
    print("BEGIN;")
groups = {}
for path in sorted(glob.glob(os.path.join(tree, "**", "*.csv"), recursive=True)):
    groups.setdefault(path.split("/")[-2], []).append(path)
for kind, paths in sorted(groups.items()):
    table = "floor_" + kind.replace("-", "_")
    data = os.path.join(work, table + ".csv")
    with open(data, "w", encoding="utf-8") as out:
        for path in paths:
            with open(path, encoding="utf-8-sig") as f:
                next(f, None)
                out.writelines(f)
    with open(paths[0], encoding="utf-8-sig") as f:
        header = next(csv.reader(f))
    columns = ", ".join(f'"{c}" text' for c in header)
    print(f"DROP TABLE IF EXISTS {table};")
    print(f'CREATE TABLE {table} ({columns}, UNIQUE ("SourceSystemIdentifier", "SourceSystem"));')
    if sqlite:
        print(f".import --csv '{data}' {table}")
    else:
        print(f"\\copy {table} FROM '{data}' WITH (FORMAT csv)")
if sqlite:
    print("COMMIT;")
