#!/usr/bin/env python3
"""bench/rollup.py - the incremental rollups (doc/rollups.md) against the materialized-view
recipe and a full recompute, and the write overhead of their triggers.

Started by bench/rollup (a throwaway cluster with pg_cron preloaded), or on a running
cluster (PGHOST/PGPORT, database --db with sipas and pg_cron created).  Python standard
library + psql + pgbench.  Measures, on a history of --rows answers (agency, item, score,
answered_on; 300 agencies, 39 items, 365 days):
  refresh   after 10,000 new answers (256 forms of today, 1 in 20 late into an old day): CALL sipas.rollup_refresh (rollup by agency and day)
            vs the pg_cron job of recipes/rollup_matview.sql (REFRESH CONCURRENTLY of its two
            daily materialized views, same grain) vs recomputing survey_agg by agency and day;
            new answers are inserted untimed before each measurement, variants interleaved;
  write     COPY of 100,000 rows and single-row INSERTs (pgbench, 1 client) into a table
            with a rollup vs the same table without; throughput of 1 vs 16 writers (pgbench)
            into the table with a rollup.
Prints medians and ratios with the issue's targets; no pass/fail exit status.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PG_BIN = os.environ.get("SIPAS_PG_BIN", "/usr/lib/postgresql/15/bin")


def tool(name):
    p = os.path.join(PG_BIN, name)
    return p if os.path.exists(p) else name


def psql(db, sql, timing=False):
    """Run sql in one session; return (stdout, [ms of each statement] if timing)."""
    script = ("\\timing on\n" if timing else "") + sql
    r = subprocess.run([tool("psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                       input=script, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bench/rollup.py: psql failed:\n{r.stderr}\n--- script:\n{sql[:2000]}")
    times = [float(m) for m in re.findall(r"^Time: ([0-9.]+) ms", r.stdout, re.M)]
    out = "\n".join(l for l in r.stdout.splitlines() if not l.startswith("Time: "))
    return out, times


def pgbench(db, script, clients, transactions=None, seconds=None):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    os.chmod(path, 0o644)
    args = [tool("pgbench"), "-n", "-c", str(clients), "-j", str(min(clients, 2)), "-f", path, db]
    args[1:1] = ["-t", str(transactions)] if transactions else ["-T", str(seconds)]
    r = subprocess.run(args, capture_output=True, text=True)
    os.unlink(path)
    if r.returncode != 0:
        sys.exit(f"bench/rollup.py: pgbench failed:\n{r.stdout}\n{r.stderr}")
    lat = re.search(r"latency average = ([0-9.]+) ms", r.stdout)
    tps = re.search(r"tps = ([0-9.]+)", r.stdout)
    return float(lat.group(1)), float(tps.group(1))


# 10,000 new answers as they arrive in continuous measurement: 256 forms of 39 items, each of
# a random agency, answered today (the day after the history) except 1 in 20 forms late into
# an old day
NEW_ANSWERS = """
INSERT INTO answers (agency, item, score, answered_on)
SELECT 'A' || lpad((1 + f.a)::text, 3, '0'), i.code[1 + g % 39],
       CASE WHEN random() < 0.04 THEN NULL ELSE 1 + floor(random() * 5)::int END,
       CASE WHEN f.late THEN DATE '2024-01-01' + floor(random() * 365)::int ELSE DATE '2025-01-01' END
FROM generate_series(0, 9999) g,
     LATERAL (SELECT (hashint4(g / 39 + (random() * 0)::int) & 1023) % 300 AS a, (g / 39) % 20 = 7 AS late) f,
     (SELECT array_agg(code ORDER BY position) AS code FROM sipas.node
      WHERE questionnaire = '2023' AND kind = 'item') i;
"""

MATVIEW_JOB = ("BEGIN ISOLATION LEVEL REPEATABLE READ;\n"
               "LOCK TABLE sipas_bi.refresh_lock IN EXCLUSIVE MODE;\n"
               "REFRESH MATERIALIZED VIEW CONCURRENTLY sipas_bi.likert_daily;\n"
               "REFRESH MATERIALIZED VIEW CONCURRENTLY sipas_bi.survey_daily;\n"
               "COMMIT;\n")

RECOMPUTE = ("SELECT count(*) FROM (SELECT agency, answered_on, sipas.survey_agg(item, score) "
             "FROM answers GROUP BY 1, 2) x;\n")


def setup(db, rows):
    psql(db, f"""
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS sipas_bi CASCADE;
DROP TABLE IF EXISTS answers, agencies, w_plain, w_roll CASCADE;
CREATE TABLE agencies (agency text PRIMARY KEY, agency_group text);
INSERT INTO agencies SELECT 'A' || lpad(g::text, 3, '0'), CASE WHEN g % 3 = 0 THEN 'so' ELSE 'huyen' END
FROM generate_series(1, 300) g;
CREATE TABLE answers (id bigserial PRIMARY KEY, agency text NOT NULL, item text NOT NULL,
                      score smallint, answered_on date NOT NULL);
SELECT setseed(0.42);
INSERT INTO answers (agency, item, score, answered_on)
SELECT 'A' || lpad((1 + (r * 7919) % 300)::text, 3, '0'), i.code[1 + g % 39],
       CASE WHEN random() < 0.04 THEN NULL ELSE 1 + floor(random() * 5)::int END,
       DATE '2024-01-01' + (r * 365 / ({rows} / 39 + 1))::int
FROM generate_series(0, {rows} - 1) g, LATERAL (SELECT g / 39 AS r) rr,
     (SELECT array_agg(code ORDER BY position) AS code FROM sipas.node
      WHERE questionnaire = '2023' AND kind = 'item') i;
VACUUM ANALYZE answers;
""")
    # the recipe as a user applies it; its pg_cron job is removed at once (the bench runs
    # the job's command itself, timed)
    with open(os.path.join(ROOT, "recipes", "rollup_matview.sql")) as f:
        recipe = f.read()
    psql(db, "SET client_min_messages = warning;\n" + recipe + "\nSELECT cron.unschedule('sipas-refresh');\n")
    psql(db, "SELECT sipas.rollup_create('bench_day', 'answers', ARRAY['agency'], "
             "bucket_column => 'answered_on', bucket => 'day');")


def bench_refresh(db, reps):
    t = {"rollup": [], "matview": [], "recompute": []}
    for _ in range(reps):
        psql(db, NEW_ANSWERS)
        _, ms = psql(db, "CALL sipas.rollup_refresh('bench_day');\n", timing=True)
        t["rollup"].append(sum(ms))
        _, ms = psql(db, MATVIEW_JOB, timing=True)
        t["matview"].append(sum(ms))
        _, ms = psql(db, RECOMPUTE, timing=True)
        t["recompute"].append(sum(ms))
    # exactness of what was measured (not timed)
    out, _ = psql(db, """
SELECT count(*) FROM (
 (SELECT agency, day, sipas_internal.survey_send(summary) FROM bench_day_refreshed
  EXCEPT ALL SELECT agency, answered_on, sipas_internal.survey_send(sipas.survey_agg(item, score)) FROM answers GROUP BY 1, 2)
 UNION ALL
 (SELECT agency, answered_on, sipas_internal.survey_send(sipas.survey_agg(item, score)) FROM answers GROUP BY 1, 2
  EXCEPT ALL SELECT agency, day, sipas_internal.survey_send(summary) FROM bench_day_refreshed)) x;
""")
    return t, int(out.strip())


def bench_write(db, reps, copy_rows, inserts, seconds):
    psql(db, f"""
SET client_min_messages = warning;
CREATE TABLE w_plain (id bigserial PRIMARY KEY, agency text NOT NULL, item text NOT NULL,
                      score smallint, answered_on date NOT NULL);
CREATE TABLE w_roll (LIKE w_plain INCLUDING ALL);
SELECT sipas.rollup_create('w_day', 'w_roll', ARRAY['agency'], bucket_column => 'answered_on', bucket => 'day');
CREATE TABLE w_src AS SELECT agency, item, score, answered_on FROM answers ORDER BY id DESC LIMIT {copy_rows};
""")
    path = os.path.join(tempfile.mkdtemp(), "w.tsv")
    os.chmod(os.path.dirname(path), 0o755)
    psql(db, f"\\copy w_src TO '{path}'\n")
    copy = {"plain": [], "rollup": []}
    for _ in range(reps):
        for key, table in (("plain", "w_plain"), ("rollup", "w_roll")):
            _, ms = psql(db, f"\\copy {table} (agency, item, score, answered_on) FROM '{path}'\n", timing=True)
            copy[key].append(sum(ms))
        psql(db, "CALL sipas.rollup_refresh('w_day');")
    os.unlink(path)
    ins = "INSERT INTO {t} (agency, item, score, answered_on) VALUES ('A' || lpad((1 + random(0, 299))::text, 3, '0'), 'I.A.1', random(1, 5), DATE '2024-01-01' + random(0, 364));\n"
    ins = ins.replace("random(0, 299)", ":a").replace("random(1, 5)", ":s").replace("random(0, 364)", ":d")
    head = "\\set a random(0, 299)\n\\set s random(1, 5)\n\\set d random(0, 364)\n"
    single = {"plain": [], "rollup": []}
    for _ in range(reps):
        for key, table in (("plain", "w_plain"), ("rollup", "w_roll")):
            lat, _ = pgbench(db, head + ins.format(t=table), 1, transactions=inserts)
            single[key].append(lat)
    psql(db, "CALL sipas.rollup_refresh('w_day');")
    _, tps1 = pgbench(db, head + ins.format(t="w_roll"), 1, seconds=seconds)
    _, tps16 = pgbench(db, head + ins.format(t="w_roll"), 16, seconds=seconds)
    _, ptps1 = pgbench(db, head + ins.format(t="w_plain"), 1, seconds=seconds)
    _, ptps16 = pgbench(db, head + ins.format(t="w_plain"), 16, seconds=seconds)
    return copy, single, (tps1, tps16, ptps1, ptps16)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default=os.environ.get("PGDATABASE", "sipas_bench"))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--copy-rows", type=int, default=100_000)
    ap.add_argument("--inserts", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=10, help="of each 1- and 16-writer run")
    ap.add_argument("--parts", default="refresh,write", help="refresh, write or both (comma separated)")
    a = ap.parse_args()
    parts = set(a.parts.split(","))

    print(f"[rollup] history {a.rows:,} answers, {a.reps} repetitions")
    setup(a.db, a.rows)
    if "refresh" in parts:
        refresh_report(a)
    if "write" in parts:
        write_report(a)


def refresh_report(a):
    t, differ = bench_refresh(a.db, a.reps)
    med = {k: statistics.median(v) for k, v in t.items()}
    print("\nrefresh after 10,000 new answers (median ms, min-max)")
    for k, label in (("rollup", "sipas.rollup_refresh (rollup by agency, day)"),
                     ("matview", "recipes/rollup_matview.sql job (2 x REFRESH CONCURRENTLY)"),
                     ("recompute", "recompute survey_agg by agency, day")):
        print(f"  {label:60s} {med[k]:12.1f}  ({min(t[k]):.1f}-{max(t[k]):.1f})")
    print(f"  matview / rollup   {med['matview'] / med['rollup']:10.1f}x  (target >= 200x at 10M)")
    print(f"  recompute / rollup {med['recompute'] / med['rollup']:10.1f}x")
    print(f"  rollup after the refreshes = survey_agg over the rows: {'yes' if differ == 0 else f'NO ({differ} rows differ)'}")



def write_report(a):
    copy, single, (tps1, tps16, ptps1, ptps16) = bench_write(a.db, a.reps, a.copy_rows, a.inserts, a.seconds)
    c = {k: statistics.median(v) for k, v in copy.items()}
    s = {k: statistics.median(v) for k, v in single.items()}
    print(f"\nwrite overhead (median of {a.reps})")
    print(f"  COPY {a.copy_rows:,} rows: plain {c['plain']:.1f} ms, with rollup {c['rollup']:.1f} ms: "
          f"{c['rollup'] / c['plain']:.2f}x  (target <= 1.2x)")
    print(f"  single-row INSERT ({a.inserts} per run, 1 client): plain {s['plain']:.3f} ms, with rollup {s['rollup']:.3f} ms: "
          f"{s['rollup'] / s['plain']:.2f}x  (target <= 1.5x)")
    print(f"  writers into the table with a rollup, {a.seconds} s each: 1 writer {tps1:.0f} tps, 16 writers {tps16:.0f} tps "
          f"({tps16 / tps1:.2f}x); without rollup {ptps1:.0f} / {ptps16:.0f} tps")


if __name__ == "__main__":
    main()
