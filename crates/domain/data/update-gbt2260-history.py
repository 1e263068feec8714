#!/usr/bin/env python3
"""Brings the GB/T 2260 code history (gbt2260-history.csv) up to a newer official list of the
administrative divisions in force (民政部 行政区划代码, county level and above).

    python3 crates/domain/data/update-gbt2260-history.py \\
        --list crates/domain/data/mca-divisions-2026.csv --year 2026 \\
        --changes crates/domain/data/gbt2260-changes-2020-2026.csv \\
        crates/domain/data/gbt2260-history.csv

Rewrites the history file in place (Python 3 standard library only) and prints what changed.
Updating the history is therefore a data change: add the new list (and the dated changes since
the last one, where known), run this, review the diff, record the source in SOURCES.md, and run
`cargo test -p domain` (a test checks that every code of the newest list is in force in its
year under its listed name).

The rules, for a list `L` in force in year `Y` and optional dated changes `C`
(`year,kind,old_code,old_name,new_code,new_name,document`):

* a code of `L` with no open-ended row in the history, or whose open-ended row carries another
  name, gets a new open-ended row with the listed name, starting in the year `C` gives for the
  change that made it (`new_code`), else in `Y` (the first list that shows it: an upper bound);
  an open-ended row with another name is closed the year before;
* an open-ended row whose code is not in `L` is closed in the year before the change that ended
  it (`old_code` in `C`), else in `Y - 1` (the last year it can have been in force: an upper
  bound). Closed codes stay in the history: an ID number keeps the code of its first issue, and
  the platform accepts every code that has ever existed.

Running it twice with the same inputs changes nothing.
"""

import argparse
import csv
import sys

HEADER = ["code", "name", "start_year", "end_year"]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("history", help="gbt2260-history.csv, rewritten in place")
    parser.add_argument("--list", required=True, help="CSV code,name: the divisions in force in --year")
    parser.add_argument("--year", required=True, type=int, help="the year the list is in force")
    parser.add_argument("--changes", help="CSV of dated changes (year,kind,old_code,old_name,new_code,new_name,document)")
    args = parser.parse_args()

    with open(args.history, encoding="utf-8", newline="") as f:
        line_end = "\r\n" if "\r\n" in f.readline() else "\n"  # kept as the file has it
    rows = read_csv(args.history)
    if not rows or list(rows[0].keys()) != HEADER:
        sys.exit(f"{args.history}: the header must be {','.join(HEADER)}")
    listed = {}
    for row in read_csv(args.list):
        code, name = row["code"].strip(), row["name"].strip()
        if len(code) != 6 or not code.isdigit() or not name:
            sys.exit(f"{args.list}: bad row {row}")
        listed[code] = name
    started, ended = {}, {}
    for change in read_csv(args.changes) if args.changes else []:
        year = int(change["year"])
        old, new = change["old_code"].strip(), change["new_code"].strip()
        if new and new != old:
            started.setdefault(new, year)
        if old and old != new:
            ended.setdefault(old, year - 1)
        if old and old == new and change["old_name"].strip() != change["new_name"].strip():
            started.setdefault(new, year)  # a code renamed in place
            ended.setdefault(old, year - 1)

    open_rows = {}
    for row in rows:
        if row["end_year"] == "":
            open_rows.setdefault(row["code"], []).append(row)

    added, closed = [], []
    for code, rs in open_rows.items():
        for row in rs:
            if listed.get(code) != row["name"]:
                row["end_year"] = str(ended.get(code, args.year - 1))
                closed.append(row)
    for code, name in sorted(listed.items()):
        if any(r["name"] == name and r["end_year"] == "" for r in open_rows.get(code, [])):
            continue
        row = {"code": code, "name": name, "start_year": str(started.get(code, args.year)), "end_year": ""}
        rows.append(row)
        added.append(row)

    # By code; a code's rows in the order they were written (new rows last).
    rows = [r for _, r in sorted(enumerate(rows), key=lambda item: (item[1]["code"], item[0]))]
    with open(args.history, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER, lineterminator=line_end)
        writer.writeheader()
        writer.writerows(rows)
    for row in closed:
        print(f"closed {row['code']} {row['name']} in {row['end_year']}")
    for row in added:
        print(f"added  {row['code']} {row['name']} from {row['start_year']}")
    print(f"{len(rows)} rows: {len(added)} added, {len(closed)} closed")


if __name__ == "__main__":
    main()
