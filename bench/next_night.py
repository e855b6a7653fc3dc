#!/usr/bin/env python3
"""Writes the next night of an extractor tree: every CSV under SRC again under DST, its name one day
later, with a share of rows edited, removed and added (new keys). Deterministic.

Usage: next_night.py SRC DST [--changed 0.05] [--gone 0.02] [--new 0.02]"""
import argparse
import datetime
import os
import random
import re

STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})\.csv$")
# A non-key column worth editing, by preference; else the third one.
EDITABLE = ("Name", "Title", "EnrollmentStatus", "SubmissionStatus", "Grade", "ActivityStatus")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("src")
    parser.add_argument("dst")
    parser.add_argument("--changed", type=float, default=0.05)
    parser.add_argument("--gone", type=float, default=0.02)
    parser.add_argument("--new", type=float, default=0.02)
    args = parser.parse_args()
    rng = random.Random(20261202)
    for folder, _, names in os.walk(args.src):
        for name in sorted(names):
            match = STAMP.match(name)
            if not match:
                continue
            when = datetime.datetime.strptime(match.group(1), "%Y-%m-%d-%H-%M-%S")
            with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
                header, *rows = f.read().splitlines()
            columns = header.split(",")
            edit = next((columns.index(c) for c in EDITABLE if c in columns), 2)
            out = [header]
            plain = [r for r in rows if '"' not in r and r.strip()]
            for row in rows:
                draw = rng.random()
                if draw < args.gone:
                    continue
                if draw < args.gone + args.changed and '"' not in row:
                    fields = row.split(",")
                    fields[edit] = fields[edit] + " (next)"
                    row = ",".join(fields)
                out.append(row)
            for number in range(round(len(rows) * args.new) if plain else 0):
                fields = rng.choice(plain).split(",")
                fields[0] = f"{fields[0]}-n{number}"
                out.append(",".join(fields))
            relative = os.path.relpath(folder, args.src)
            target = os.path.join(args.dst, relative)
            os.makedirs(target, exist_ok=True)
            later = (when + datetime.timedelta(days=1)).strftime("%Y-%m-%d-%H-%M-%S")
            with open(os.path.join(target, later + ".csv"), "w", encoding="utf-8") as f:
                f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
