#!/usr/bin/env python3
"""Backend memory across row counts (run by tests/memory/run; see doc/hardening.md).

    memory.py --db DB [--quick] [--log SERVER_LOG]

Every scenario runs twice, on a small and a large input (10x the rows, same number of
groups / same partition size), each time in a fresh backend.  While the query runs the
backend's private memory is sampled from /proc/PID/status (RssAnon) every 10 ms, and,
when the server log is readable, pg_log_backend_memory_contexts() dumps the backend's
memory contexts to the log every 0.1 s, after the first second every 0.5 s (the largest
"Grand total" is kept).
Aggregations also report the HashAggregate's own "Peak Memory Usage" (EXPLAIN ANALYZE).
After the query, pg_backend_memory_contexts shows what stayed allocated.

Memory is flat when the large run needs no more than the small one beyond noise:
    peak RssAnon growth   large <= 2 x max(small, 8 MB)
    hash table peak       large <= 1.5 x small + 256 kB
    contexts grand total  large <= 2 x max(small, 8 MB)
    kept after the query  large <= small + 1 MB
A leak per row (or per partition) grows 10x with the input and fails these.  A control,
array_agg over 300 groups (its state grows ~30 bytes per row by design), must fail them:
that shows the checks see such growth at the CI sizes.  No timing is asserted.  Output: a table of the figures and
"ok - ..." / "not ok - ..." lines, which tests/memory/run counts (tests/lib.sh) into
"memory: N passed, M failed"; the exit status is 1 when a check failed.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

PSQL = os.path.join(os.environ.get("SIPAS_PG_BIN", "/usr/lib/postgresql/15/bin"), "psql")
MB = 1024 * 1024

SETUP = """
SET work_mem = '4MB';
SET hash_mem_multiplier = 2;
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SET enable_sort = off;   -- GROUP BY: hash aggregation (the plan is checked)
"""

ITEMS = "(SELECT array_agg(code ORDER BY code) AS codes FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item')"

# rows = a * 1000 + b: two small function scans instead of one big materialized one
ROWS = "generate_series(0, {n} / 1000 - 1) a, generate_series(0, 999) b"

SCENARIOS = [
    # name, kind, SQL with {n}; aggregates group by 300 groups whatever n
    ("likert_agg, 300 groups", "agg",
     "SELECT (a * 1000 + b) % 300 AS grp, sipas.likert_agg((1 + (a * 7 + b) % 5)::int) AS s, "
     "sipas.likert_agg((1 + (a + b) % 5)::int, 0.5 + (b % 13) / 4.0) AS ws "
     "FROM " + ROWS + " GROUP BY 1"),
    ("survey_agg, 300 groups x 39 items", "agg",
     "SELECT (a * 1000 + b) % 300 AS grp, sipas.survey_agg(c.codes[1 + b % 39], (1 + (a * 7 + b) % 5)::int) AS s, "
     "sipas.survey_agg(c.codes[1 + b % 39], (1 + (a + b) % 5)::int, 0.5 + (b % 13) / 4.0) AS ws "
     "FROM " + ROWS + ", " + ITEMS + " c GROUP BY 1"),
    # windows: a moving frame over the whole input, and whole-partition functions over
    # partitions of 100 rows (5 periods x 20 units), so the number of partitions grows
    ("moving satisfaction_index (1000-row frame)", "win",
     "SELECT count(x), count(y) FROM (SELECT "
     "sipas.satisfaction_index((1 + (a * 7 + b) % 5)::int) OVER w AS x, "
     "sipas.satisfaction_index((1 + (a + b) % 5)::int, 0.5 + (b % 13) / 4.0) OVER w AS y "
     "FROM " + ROWS + " WINDOW w AS (ORDER BY a, b ROWS BETWEEN 999 PRECEDING AND CURRENT ROW)) s"),
    ("rank_change + consecutive (partitions of 100)", "win",
     "SELECT count(r), count(c) FROM (SELECT "
     "sipas.rank_change(idx, period, unit) OVER (PARTITION BY grp) AS r, "
     "sipas.consecutive(idx > 50, period::bigint) OVER (PARTITION BY grp, unit ORDER BY period) AS c "
     "FROM (SELECT a * 10 + b / 100 AS grp, (b % 100) / 20 AS period, b % 20 AS unit, "
     "((a * 7919 + b * 104729) % 1000) / 10.0 AS idx FROM " + ROWS + ") d) s"),
    ("control: array_agg(text), 300 groups", "control",
     "SELECT (a * 1000 + b) % 300 AS grp, array_agg((a * 1000 + b)::text) AS s FROM " + ROWS + " GROUP BY 1"),
    ("rank_range (partitions of 20 summaries)", "win",
     "SELECT count(rr) FROM (SELECT sipas.rank_range(s) OVER (PARTITION BY grp) AS rr "
     "FROM (SELECT a * 50 + b / 20 AS grp, "
     "sipas.likert_from_counts(ARRAY[b % 7, (a + b) % 5, b % 3, 10, (a * b) % 11]::bigint[]) AS s "
     "FROM " + ROWS + ") d) s"),
]


class Session:
    """one psql process = one backend; statements separated by \\echo markers"""

    def __init__(self, db):
        self.p = subprocess.Popen([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.n = 0

    def run(self, sql):
        self.n += 1
        mark = "__done_%d__" % self.n
        self.p.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + mark + "\n")
        self.p.stdin.flush()
        out = []
        while True:
            line = self.p.stdout.readline()
            if line == "":
                raise RuntimeError("psql ended: " + self.p.stderr.read())
            if line.rstrip("\n") == mark:
                return "\n".join(out)
            out.append(line.rstrip("\n"))

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=60)
        except Exception:
            self.p.kill()


def rss_anon(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def measure(db, sql, kind, log):
    """run sql (EXPLAIN ANALYZE for aggregates) in a fresh backend; a dict of figures"""
    s = Session(db)
    try:
        pid = int(s.run("SELECT pg_backend_pid()"))
        s.run(SETUP)
        # warm up: sipas.so, catalogue caches, the plan's functions (tiny input)
        s.run(sql.format(n=1000))
        ctx_before = int(s.run("SELECT sum(total_bytes) FROM pg_backend_memory_contexts"))
        base = rss_anon(pid)
        peak = [base]
        stop = threading.Event()
        log_pos = os.path.getsize(log) if log else 0

        def sampler():
            ticks = 0
            dumper = None
            while not stop.is_set():
                v = rss_anon(pid)
                if v is not None and v > peak[0]:
                    peak[0] = v
                ticks += 1
                # every 0.1 s in the first second, then every 0.5 s
                if log and (ticks % 10 == 5 if ticks < 100 else ticks % 50 == 25):
                    # dump the backend's memory contexts into the server log (own connection)
                    dumper = subprocess.Popen([PSQL, "-X", "-q", "-At", "-d", db, "-c",
                                               "SELECT pg_log_backend_memory_contexts(%d)" % pid],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(0.01)
            if dumper:
                dumper.wait()

        t = threading.Thread(target=sampler)
        t.start()
        t0 = time.time()
        if kind in ("agg", "control"):
            out = s.run("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) " + sql.format(n=N[0]))
        else:
            out = s.run(sql.format(n=N[0]))
        secs = time.time() - t0
        stop.set()
        t.join()
        ctx_after = int(s.run("SELECT sum(total_bytes) FROM pg_backend_memory_contexts"))
    finally:
        s.close()
    r = {"anon_growth": peak[0] - base, "secs": secs, "kept": ctx_after - ctx_before,
         "hash_peak": None, "strategy": None, "contexts": None, "batches": None}
    if kind in ("agg", "control"):
        plan = json.loads(out)[0]["Plan"]
        node = plan
        while node.get("Node Type") != "Aggregate" and node.get("Plans"):
            node = node["Plans"][0]
        r["strategy"] = node.get("Strategy")
        if node.get("Peak Memory Usage") is not None:
            r["hash_peak"] = node["Peak Memory Usage"] * 1024
        r["batches"] = node.get("HashAgg Batches")
    if log:
        totals = []
        time.sleep(0.3)
        with open(log, errors="replace") as f:
            f.seek(log_pos)
            for line in f:
                m = re.search(r"\[%d\].*Grand total: (\d+) bytes" % pid, line)
                if m:
                    totals.append(int(m.group(1)))
        r["contexts"] = max(totals) if totals else None
        r["dumps"] = len(totals)
    return r


N = [0]


def fmt(b):
    return "-" if b is None else "%.1f MB" % (b / MB)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--log", help="server log, for pg_log_backend_memory_contexts figures")
    a = ap.parse_args()
    log = a.log if a.log and os.access(a.log, os.R_OK) else None
    # the control always runs at the smaller sizes: its memory grows by design
    sizes = {"agg": (1_000_000, 10_000_000), "win": (100_000, 1_000_000), "control": (100_000, 1_000_000)}
    if a.quick:
        sizes = {"agg": (100_000, 1_000_000), "win": (10_000, 100_000), "control": (100_000, 1_000_000)}
    passed = failed = 0
    rows = []

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok - " + what)
        else:
            failed += 1
            print("not ok - " + what)

    for name, kind, sql in SCENARIOS:
        res = []
        for n in sizes[kind]:
            N[0] = n
            r = measure(a.db, sql, kind, log)
            res.append((n, r))
            rows.append((name, n, r))
            print("  %-46s %10d rows: RssAnon +%s, contexts %s, hash table %s, kept %s, %.1f s" % (
                name, n, fmt(r["anon_growth"]), fmt(r["contexts"]), fmt(r["hash_peak"]),
                fmt(r["kept"]), r["secs"]), flush=True)
        (n1, s), (n2, b) = res
        tag = "%s, %d vs %d rows" % (name, n1, n2)
        if kind == "control":
            grows = (b["anon_growth"] > 2 * max(s["anon_growth"], 8 * MB) or
                     (b["hash_peak"] or 0) > 1.5 * (s["hash_peak"] or 0) + 256 * 1024)
            check(grows, "%s: the checks see memory that grows with the rows (RssAnon %s vs %s, "
                         "hash table %s vs %s, %.0f bytes per extra row)" % (
                             tag, fmt(s["anon_growth"]), fmt(b["anon_growth"]), fmt(s["hash_peak"]),
                             fmt(b["hash_peak"]), (b["anon_growth"] - s["anon_growth"]) / (n2 - n1)))
            continue
        check(b["anon_growth"] <= 2 * max(s["anon_growth"], 8 * MB),
              "%s: peak RssAnon growth %s vs %s" % (tag, fmt(s["anon_growth"]), fmt(b["anon_growth"])))
        if kind == "agg":
            check(all(x["strategy"] == "Hashed" and x["batches"] in (None, 1) for x in (s, b)),
                  "%s: hash aggregation in memory (strategy %s/%s, batches %s/%s)" % (
                      tag, s["strategy"], b["strategy"], s["batches"], b["batches"]))
            check(s["hash_peak"] is not None and b["hash_peak"] is not None and
                  b["hash_peak"] <= 1.5 * s["hash_peak"] + 256 * 1024,
                  "%s: hash table peak %s vs %s" % (tag, fmt(s["hash_peak"]), fmt(b["hash_peak"])))
        if s["contexts"] is not None and b["contexts"] is not None:
            check(b["contexts"] <= 2 * max(s["contexts"], 8 * MB),
                  "%s: largest memory-context grand total during the query %s vs %s" % (
                      tag, fmt(s["contexts"]), fmt(b["contexts"])))
        check(b["kept"] <= s["kept"] + MB,
              "%s: memory kept by the backend after the query %s vs %s" % (tag, fmt(s["kept"]), fmt(b["kept"])))

    print("\n%-46s %10s %12s %12s %12s %12s %8s" % ("scenario", "rows", "RssAnon +", "contexts",
                                                    "hash table", "kept after", "secs"))
    for name, n, r in rows:
        print("%-46s %10d %12s %12s %12s %12s %8.1f" % (name, n, fmt(r["anon_growth"]), fmt(r["contexts"]),
                                                       fmt(r["hash_peak"]), fmt(r["kept"]), r["secs"]))
    if not log:
        print("(server log not readable: no pg_log_backend_memory_contexts figures)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
