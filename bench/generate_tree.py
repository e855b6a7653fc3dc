#!/usr/bin/env python3
"""Writes a synthetic LMS-UDM extractor tree for benchmarks.

Scale 1: 5,000 users, 200 sections, per section 20 assignments and 25 enrolments, submissions for
8 assignments per section (~54k rows in ~2,000 files). --scale multiplies users and sections.
--providers splits the sections (and their users) over several provider roots.
--single-users-rows N writes one users file of N rows instead (the large-file benchmark).
"""
import argparse
import os
import random


def write(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write("\ufeff" + ",".join(header) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


DATES = ["2021-03-01 08:00:00", "2021-03-02 09:30:00"]
STAMP = "2021-03-09-16-44-33.csv"


def users_rows(system, ids, rng):
    for i in ids:
        yield [
            f"u{i}", system, "student" if i % 20 else "teacher", f"sis{i:07d}", f"loc{i}",
            f"Student {i}", f"student{i}@example.org", DATES[0], DATES[1], DATES[0], DATES[1],
        ]


USERS_HEADER = ["SourceSystemIdentifier", "SourceSystem", "UserRole", "SISUserIdentifier",
                "LocalUserIdentifier", "Name", "EmailAddress", "CreateDate", "LastModifiedDate",
                "SourceCreateDate", "SourceLastModifiedDate"]


def provider_tree(root, system, user_ids, section_ids, rng):
    write(os.path.join(root, "users", STAMP), USERS_HEADER, users_rows(system, user_ids, rng))
    write(os.path.join(root, "sections", STAMP),
          ["SourceSystemIdentifier", "SourceSystem", "SISSectionIdentifier", "Title",
           "SectionDescription", "Term", "LMSSectionStatus", "CreateDate", "LastModifiedDate"],
          ([f"s{s}", system, f"sis-s{s}", f"Section {s}", "A section", "Fall", "active",
            DATES[0], DATES[1]] for s in section_ids))
    for s in section_ids:
        enrolled = rng.sample(user_ids, min(25, len(user_ids)))
        base = os.path.join(root, f"section=s{s}")
        write(os.path.join(base, "section-associations", STAMP),
              ["SourceSystemIdentifier", "SourceSystem", "EnrollmentStatus",
               "LMSUserSourceSystemIdentifier", "LMSSectionSourceSystemIdentifier", "CreateDate",
               "LastModifiedDate"],
              ([f"e{s}-{u}", system, "Active", f"u{u}", f"s{s}", DATES[0], DATES[1]]
               for u in enrolled))
        write(os.path.join(base, "assignments", STAMP),
              ["SourceSystemIdentifier", "SourceSystem", "Title", "AssignmentCategory",
               "AssignmentDescription", "DueDateTime", "MaxPoints", "SubmissionType",
               "LMSSectionSourceSystemIdentifier", "CreateDate", "LastModifiedDate"],
              ([f"a{s}-{a}", system, f"Assignment {a}", "Homework", "Do the work",
                "2021-04-01 23:59:00", "100", "\"['online_upload', 'online_text_entry']\"",
                f"s{s}", DATES[0], DATES[1]] for a in range(20)))
        for a in range(8):
            write(os.path.join(base, f"assignment=a{s}-{a}", "submissions", STAMP),
                  ["SourceSystemIdentifier", "SourceSystem", "SubmissionStatus",
                   "SubmissionDateTime", "EarnedPoints", "Grade",
                   "AssignmentSourceSystemIdentifier", "LMSUserSourceSystemIdentifier",
                   "CreateDate", "LastModifiedDate"],
                  ([f"sub{s}-{a}-{u}", system, "Submitted", "2021-03-20 10:00:00",
                    str(rng.randint(0, 100)), "B", f"a{s}-{a}", f"u{u}", DATES[0], DATES[1]]
                   for u in enrolled))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--providers", type=int, default=1)
    parser.add_argument("--single-users-rows", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(42)
    if args.single_users_rows:
        write(os.path.join(args.out, "bigusers", "users", STAMP), USERS_HEADER,
              users_rows("Bench", range(args.single_users_rows), rng))
        return
    users = int(5000 * args.scale)
    sections = int(200 * args.scale)
    for p in range(args.providers):
        name = f"bench{p}" if args.providers > 1 else "bench"
        user_ids = [u for u in range(users) if u % args.providers == p]
        section_ids = [s for s in range(sections) if s % args.providers == p]
        provider_tree(os.path.join(args.out, name), f"Bench{p}", user_ids, section_ids, rng)


if __name__ == "__main__":
    main()
