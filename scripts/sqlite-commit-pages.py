#!/usr/bin/env python3
"""What one durable commit costs on SQLite, by what it writes: the raw probe's transaction (one row
updated, one inserted) against an act's writes (its case row with its indexes and counts, its
stream's head, its sealed event), whole and with parts left out, on copies of a database the
lifecycle bench left. For each: microseconds per transaction, and the WAL frames (pages) each
commit wrote. Every variant runs through the same library (Python's sqlite3, SQLite's C library),
WAL, synchronous=FULL, one connection.

    minzheng bench lifecycle --cases 300 --db sqlite:///tmp/act-pages.db
    python3 scripts/sqlite-commit-pages.py /tmp/act-pages.db [transactions] [rounds]

The copies go beside the database and are removed after.
"""
import os
import random
import shutil
import sqlite3
import sys
import time

SOURCE = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
FRAME = 4096 + 24  # a WAL frame: one page and its header

source = sqlite3.connect(SOURCE)
CASES = source.execute("SELECT id, state, item_slug FROM cases").fetchall()
EVENT = source.execute("SELECT payload, actor, act, division_code FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
STATUSES = ["accepted", "under_review", "decided", "produced", "issued"]
source.close()


def copy(name, setup):
    path = f"{SOURCE}.{name}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copy(SOURCE, path)
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=1", "wal_autocheckpoint=0"):
        db.execute(f"PRAGMA {pragma}")
    db.execute("CREATE TABLE IF NOT EXISTS probe_rows (id INTEGER PRIMARY KEY, v INTEGER)")
    db.execute("CREATE TABLE IF NOT EXISTS probe_log (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, at INTEGER)")
    db.executemany("INSERT OR IGNORE INTO probe_rows VALUES (?, 0)", [(i,) for i in range(64)])
    setup(db)
    return db, path


def raw(db, i, **_):
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE probe_rows SET v = v + 1 WHERE id = ?", (i % 64,))
    db.execute("INSERT INTO probe_log (a, b, at) VALUES (?, ?, ?)", (i, i, i))
    db.execute("COMMIT")


def act(db, i, status=True, event=True, head=True):
    case, state, item = CASES[i % len(CASES)]
    db.execute("BEGIN IMMEDIATE")
    sets, values = "state = ?, revision = revision + 1, updated_at_ms = ?, timer_due_ms = ?", [state + " " * (i % 3), i, i]
    if status:
        sets += ", status = ?"
        values.append(random.choice(STATUSES))
    db.execute(f"UPDATE cases SET {sets} WHERE id = ?", values + [case])
    stream = "item:" + item
    if head:
        db.execute("UPDATE audit_streams SET head_stream_seq = head_stream_seq + 1, head_seq = head_seq + 1, "
                   "head_hash = ? WHERE stream = ?", ("%064x" % i, stream))
    if event:
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events").fetchone()[0]
        stream_seq = db.execute("SELECT COALESCE(MAX(stream_seq), 0) + 1 FROM audit_events WHERE stream = ?",
                                (stream,)).fetchone()[0]
        db.execute("INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (seq, stream, stream_seq, i, EVENT[1], EVENT[2], EVENT[3], EVENT[0], "%064x" % i, "%064x" % (i + 1)))
    db.execute("COMMIT")


def nothing(_db):
    pass


def no_triggers(db):
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {name}")


def no_case_indexes(db):
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' "
                              "AND sql IS NOT NULL").fetchall():
        db.execute(f"DROP INDEX {name}")


VARIANTS = [
    ("probe: one row updated, one inserted", raw, nothing, {}),
    ("act: case, head, event (as written)", act, nothing, {}),
    ("act without its status change", act, nothing, {"status": False}),
    ("act without its event", act, nothing, {"event": False}),
    ("act without its stream head", act, nothing, {"head": False}),
    ("the case row alone", act, nothing, {"event": False, "head": False}),
    ("act without the counts' triggers", act, no_triggers, {}),
    ("act without the cases' indexes", act, no_case_indexes, {}),
]

for round_ in range(ROUNDS):
    for k, (label, write, setup, options) in enumerate(VARIANTS):
        db, path = copy(f"v{k}", setup)
        for i in range(50):
            write(db, i, **options)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        started = time.perf_counter()
        for i in range(50, 50 + N):
            write(db, i, **options)
        seconds = time.perf_counter() - started
        frames = os.path.getsize(path + "-wal") / FRAME / N
        db.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        print(f"round {round_ + 1}  {label:40s} {seconds / N * 1e6:6.0f} us/txn {N / seconds:6.0f}/s  "
              f"{frames:5.2f} WAL frames per commit")
