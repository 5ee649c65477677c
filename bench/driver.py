#!/usr/bin/env python3
"""bench/driver.py - run the sipas benchmark cases and print medians and ratios.

Normally started by bench/run, which creates the database and the answer table first.
Python 3 standard library only; every query goes through psql.

Each case (a file bench/cases/NN-name.py defining case(ctx) -> Case) runs in ONE psql
session (psql -X -q -A -t, the whole script on stdin): its untimed preparation, then a
warm-up round, then R rounds in which its variants run interleaved, A B C A B C ...
A variant is timed with psql's \\timing (client-side, so planning and the one-row result
are included: every query is wrapped to return one small row), or with EXPLAIN (ANALYZE,
TIMING OFF, SUMMARY ON) when it also reports a plan figure (memory).  The median of the
R timings is reported, with ratios between variants.
"""
import argparse
import datetime
import fnmatch
import glob
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True     # no __pycache__ in bench/cases

# Case files do "from sipas_bench import Case, Variant, ...": they get this module.
sys.modules.setdefault("sipas_bench", sys.modules[__name__])

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PG_BIN = os.environ.get("SIPAS_PG_BIN", "/usr/lib/postgresql/15/bin")
PSQL = os.path.join(PG_BIN, "psql") if os.path.exists(os.path.join(PG_BIN, "psql")) else "psql"

# Session defaults of every case, passed as connection options so that RESET returns to
# them (a variant's own SET is RESET after it).
SESSION_OPTIONS = {
    "work_mem": "256MB",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "client_min_messages": "warning",
    "statement_timeout": "0",
}


# --------------------------------------------------------------------------------------
# What case files build
# --------------------------------------------------------------------------------------

class Variant:
    """One timed query.

    key       short identifier, unique in the case
    label     what the table shows ("sipas: ...", "floor: ...", "plain SQL: ...")
    sql       one statement returning one small row, without the final semicolon
    settings  {guc: value} SET before the query and RESET after it (untimed)
    mode      "timing" (psql \\timing) or "explain" (EXPLAIN ANALYZE: Execution Time,
              plus the first aggregate node's memory and rows)
    vs        key of the variant whose median is divided by this one's in the table's
              ratio column (default: the case's first variant; "" or the first: none)
    rows      input rows, when different from the case's: an int, or fn(res) -> int
              (e.g. from an info query)
    """

    def __init__(self, key, label, sql, settings=None, mode="timing", vs=None, rows=None):
        self.key, self.label, self.sql = key, label, sql.strip().rstrip(";")
        self.settings = dict(settings or {})
        self.mode, self.vs, self.rows = mode, vs, rows


class Metric:
    """A derived figure: fn(res) -> float, with an optional target (op, value), op in <=, >=."""

    def __init__(self, label, fn, target=None, unit="x", note=""):
        self.label, self.fn, self.target, self.unit, self.note = label, fn, target, unit, note


def ratio(label, a, b, target=None, note=""):
    """median(a) / median(b): below 1 means a is faster."""
    return Metric(label, lambda r: r.ms(a) / r.ms(b), target, "x", note)


def speedup(label, slow, fast, target=None, note=""):
    """median(slow) / median(fast): how many times faster `fast` is."""
    return Metric(label, lambda r: r.ms(slow) / r.ms(fast), target, "x faster", note)


class Case:
    """A benchmark case.

    name, title   identifier (for --cases) and one-line description
    rows          input rows of the timed queries (int)
    prepare       SQL run once in the session before any timing (tables, warming)
    variants      list of Variant, timed interleaved
    metrics       list of Metric
    info          {name: sql} one-row queries run once after prepare; results in res.info
    skip          a reason: the case is listed but not run
    notes         lines for the report
    external      fn(ctx, res) run after the session (e.g. R, or checks of res.info);
                  may set res.external_ms / res.external_rows and add res.notes
    check_equal   groups of variant keys whose first results must be identical (a
                  difference is reported as a note "RESULTS DIFFER", not as a failure)
    reps, warmup  overrides of the run's repetitions / warm-up round
    """

    def __init__(self, name, title, rows=0, prepare="", variants=(), metrics=(), info=None,
                 skip=None, notes=(), external=None, check_equal=(), reps=None, warmup=None):
        self.name, self.title, self.rows = name, title, rows
        self.prepare, self.variants, self.metrics = prepare, list(variants), list(metrics)
        self.info = dict(info or {})
        self.skip, self.notes, self.external = skip, list(notes), external
        self.check_equal = [list(g) for g in check_equal]
        self.reps, self.warmup = reps, warmup


class Context:
    """What a case file gets: the run's parameters and helpers."""

    def __init__(self, args, tmpdir):
        self.rows = args.rows
        self.reps = args.reps
        self.quick = args.quick
        self.db = args.db
        self.tmpdir = tmpdir
        self.root = ROOT
        self.here = HERE
        self.psql = PSQL

    def warm(self, *tables):
        """SQL that vacuums, analyses and loads tables into shared buffers."""
        out = []
        for t in tables:
            out.append(f"VACUUM (FREEZE, ANALYZE) {t};")
            out.append(f"SELECT bench_warm('{t}');")
        return "\n".join(out)


class Result:
    """Measurements of one case."""

    def __init__(self, case):
        self.case = case
        self.times = {v.key: [] for v in case.variants}
        self.values = {}           # key -> result text of the first measured run
        self.extra = {v.key: {} for v in case.variants}  # key -> {name: [values]}
        self.info = {}
        self.error = None
        self.notes = list(case.notes)
        self.metric_rows = []      # (label, value, value from mins, unit, target, verdict, note)
        self.seconds = 0.0
        self.external_ms = {}      # key -> ms measured outside psql (e.g. R)
        self.external_rows = []    # (label, rows, ms, ratio text) extra rows of the table

    def ms(self, key):
        if key in self.external_ms:
            return self.external_ms[key]
        t = self.times.get(key)
        if not t:
            raise KeyError(f"no timing for {key}")
        return statistics.median(t)

    def extra_median(self, key, name):
        vals = self.extra.get(key, {}).get(name)
        if not vals:
            raise KeyError(f"no {name} for {key}")
        return statistics.median(vals)

    def add_timing(self, key, ms):
        self.times.setdefault(key, []).append(ms)


class MinView:
    """A Result seen through the fastest run of every variant instead of the median: the
    same metric computed on it shows how much noise moved the median-based figure (on a
    shared machine noise only ever adds time)."""

    def __init__(self, res):
        self._res = res
        self.info, self.extra, self.external_ms = res.info, res.extra, res.external_ms

    def ms(self, key):
        if key in self.external_ms:
            return self.external_ms[key]
        t = self._res.times.get(key)
        if not t:
            raise KeyError(f"no timing for {key}")
        return min(t)

    def extra_median(self, key, name):
        return self._res.extra_median(key, name)


# --------------------------------------------------------------------------------------
# Running a case
# --------------------------------------------------------------------------------------

MARK = "@@sipas-bench@@"
TIME_RE = re.compile(r"^Time: ([0-9]+(?:\.[0-9]+)?) ms")
EXEC_RE = re.compile(r"Execution Time: ([0-9]+(?:\.[0-9]+)?) ms")
MEM_RE = re.compile(r"Memory Usage: ([0-9]+)kB")
DISK_RE = re.compile(r"Disk Usage: ([0-9]+)kB")
AGG_ROWS_RE = re.compile(r"(?:HashAggregate|GroupAggregate|MixedAggregate).*\(actual rows=([0-9]+)")


def psql_env():
    env = dict(os.environ)
    opts = " ".join(f"-c {k}={v}" for k, v in SESSION_OPTIONS.items())
    env["PGOPTIONS"] = (env.get("PGOPTIONS", "") + " " + opts).strip()
    return env


def build_script(case, reps, warmup):
    lines = ["\\pset pager off", "\\pset footer off"]
    if case.prepare.strip():
        lines.append(f"\\echo {MARK} PREPARE")
        lines.append(case.prepare.strip())
    for name, sql in case.info.items():
        lines.append(f"\\echo {MARK} INFO {name}")
        lines.append(sql.strip().rstrip(";") + ";")
        lines.append(f"\\echo {MARK} END")
    rounds = (["warmup"] if warmup else []) + [str(i) for i in range(1, reps + 1)]
    for rnd in rounds:
        for v in case.variants:
            lines.append(f"\\echo {MARK} RUN {v.key} {rnd}")
            for g, val in v.settings.items():
                lines.append(f"SET {g} = '{val}';")
            if v.mode == "explain":
                lines.append(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)\n{v.sql};")
            else:
                lines.append("\\timing on")
                lines.append(v.sql + ";")
                lines.append("\\timing off")
            for g in v.settings:
                lines.append(f"RESET {g};")
            lines.append(f"\\echo {MARK} END")
    lines.append(f"\\echo {MARK} DONE")
    return "\n".join(lines) + "\n"


def parse_output(text, res):
    """Fill res from psql's output; returns True when the script ran to the end."""
    done = False
    cur = None          # ("RUN", key, round) or ("INFO", name)
    buf = []
    for line in text.splitlines():
        if line.startswith(MARK):
            parts = line[len(MARK):].split()
            if parts[0] == "END" and cur is not None:
                finish_block(cur, buf, res)
                cur, buf = None, []
            elif parts[0] == "RUN":
                cur, buf = ("RUN", parts[1], parts[2]), []
            elif parts[0] == "INFO":
                cur, buf = ("INFO", parts[1]), []
            elif parts[0] == "DONE":
                done = True
            continue
        if cur is not None:
            buf.append(line)
    return done


def finish_block(cur, buf, res):
    if cur[0] == "INFO":
        res.info[cur[1]] = "\n".join(l for l in buf if l.strip())
        return
    _, key, rnd = cur
    variant = next(v for v in res.case.variants if v.key == key)
    if variant.mode == "explain":
        ms = mem = disk = rows = None
        for l in buf:
            m = EXEC_RE.search(l)
            if m:
                ms = float(m.group(1))
            m = MEM_RE.search(l)
            if m and mem is None:
                mem = int(m.group(1))
            m = DISK_RE.search(l)
            if m and disk is None:
                disk = int(m.group(1))
            m = AGG_ROWS_RE.search(l)
            if m and rows is None:
                rows = int(m.group(1))
        if ms is None:
            raise RuntimeError(f"{key}: no 'Execution Time' in EXPLAIN output")
        if rnd != "warmup":
            res.add_timing(key, ms)
            ex = res.extra.setdefault(key, {})
            for name, val in (("mem_kb", mem), ("disk_kb", disk), ("groups", rows)):
                if val is not None:
                    ex.setdefault(name, []).append(val)
            if key not in res.values:
                res.values[key] = "\n".join(buf)
        return
    ms = None
    values = []
    for l in buf:
        m = TIME_RE.match(l)
        if m:
            ms = float(m.group(1))
        elif l.strip():
            values.append(l)
    if ms is None:
        raise RuntimeError(f"{key}: no '\\timing' line in psql output")
    if rnd != "warmup":
        res.add_timing(key, ms)
        if key not in res.values:
            res.values[key] = " / ".join(values)


def run_case(ctx, case, args):
    res = Result(case)
    reps = case.reps or args.reps
    warmup = case.warmup if case.warmup is not None else not args.quick
    script = build_script(case, reps, warmup)
    t0 = time.time()
    cmd = [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", args.db]
    proc = subprocess.run(cmd, input=script, capture_output=True, text=True, env=psql_env())
    res.seconds = time.time() - t0
    if args.keep_logs:
        with open(os.path.join(ctx.tmpdir, f"{case.name}.script.sql"), "w") as f:
            f.write(script)
        with open(os.path.join(ctx.tmpdir, f"{case.name}.out"), "w") as f:
            f.write(proc.stdout + "\n--- stderr ---\n" + proc.stderr)
    try:
        done = parse_output(proc.stdout, res)
    except (RuntimeError, StopIteration) as e:
        res.error = f"unparsable psql output: {e}"
        return res
    if proc.returncode != 0 or not done:
        err = proc.stderr.strip().splitlines()
        res.error = f"psql exit {proc.returncode}: " + (" | ".join(err[-3:]) if err else "no message")
        return res
    for group in case.check_equal:
        vals = {k: res.values.get(k) for k in group}
        if len(set(vals.values())) > 1:
            res.notes.append("RESULTS DIFFER: " + "; ".join(f"{k} = {v}" for k, v in vals.items()))
    if case.external is not None:
        try:
            case.external(ctx, res)
        except Exception as e:  # report, do not abort the other cases
            res.error = f"{type(e).__name__}: {e}"
            return res
        finally:
            res.seconds = time.time() - t0
    for m in case.metrics:
        try:
            val = m.fn(res)
            val_min = m.fn(MinView(res))
        except (KeyError, ZeroDivisionError, ValueError, TypeError) as e:
            res.metric_rows.append((m.label, None, None, m.unit, m.target, "n/a", str(e)))
            continue
        verdict = ""
        if m.target is not None and val is not None:
            op, lim = m.target
            ok = val <= lim if op == "<=" else val >= lim
            verdict = "ok" if ok else "MISSED"
            if args.quick:
                verdict = f"({verdict}, quick)"
        res.metric_rows.append((m.label, val, val_min, m.unit, m.target, verdict, m.note))
    return res


# --------------------------------------------------------------------------------------
# Cases and reporting
# --------------------------------------------------------------------------------------

def load_cases(ctx):
    cases = []
    for path in sorted(glob.glob(os.path.join(HERE, "cases", "[0-9]*.py"))):
        modname = "sipas_bench_case_" + re.sub(r"\W", "_", os.path.basename(path)[:-3])
        spec = importlib.util.spec_from_file_location(modname, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[modname] = mod
        spec.loader.exec_module(mod)
        made = mod.case(ctx)
        cases.extend(made if isinstance(made, (list, tuple)) else [made])
    return cases


def select_cases(cases, spec):
    if not spec:
        return cases
    pats = [p.strip() for p in spec.split(",") if p.strip()]
    chosen = [c for c in cases if any(fnmatch.fnmatchcase(c.name, p) for p in pats)]
    unknown = [p for p in pats if not any(fnmatch.fnmatchcase(c.name, p) for c in cases)]
    if unknown:
        sys.exit(f"driver: unknown case(s): {', '.join(unknown)} (try --list)")
    return chosen


def fmt_ms(x):
    if x is None:
        return ""
    return f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def fmt_val(val, unit):
    if val is None:
        return "n/a"
    if unit in ("x", "x faster"):
        s = f"{val:.2f}" if val < 100 else f"{val:.0f}"
        return s + ("x" if unit == "x" else "x faster")
    if unit == "B":
        return f"{val:.0f} B"
    return f"{val:.3g} {unit}"


def fmt_target(t):
    return "" if t is None else f"{t[0]} {t[1]:g}"


def table(headers, rows, align):
    widths = [max(len(str(x)) for x in [h] + [r[i] for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            c = str(c)
            out.append(c.rjust(widths[i]) if align[i] == "r" else c.ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if a == "r" else ("-" * (w + 2))
                         for w, a in zip(widths, align)) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


MAIN_HEADERS = ["case", "variant", "rows", "median ms", "min ms", "max ms", "ratio"]
MAIN_ALIGN = ["l", "l", "r", "r", "r", "r", "r"]


def main_rows(results):
    rows = []
    for res in results:
        c = res.case
        if c.skip:
            rows.append([c.name, f"skipped: {c.skip}", "", "", "", "", ""])
            continue
        if res.error:
            rows.append([c.name, f"FAILED: {res.error}", "", "", "", "", ""])
            continue
        first = c.variants[0].key if c.variants else None
        for v in c.variants:
            t = res.times.get(v.key) or []
            med = statistics.median(t) if t else None
            vs = v.vs if v.vs is not None else first
            r = ""
            if vs and vs != v.key and med and res.times.get(vs):
                r = f"{res.ms(vs) / med:.2f}"
            nrows = v.rows if v.rows is not None else c.rows
            if callable(nrows):
                try:
                    nrows = nrows(res)
                except (KeyError, ValueError, TypeError):
                    nrows = "?"
            rows.append([c.name, v.label, nrows,
                         fmt_ms(med), fmt_ms(min(t) if t else None), fmt_ms(max(t) if t else None), r])
        for label, rws, ms, r in res.external_rows:
            rows.append([c.name, label, rws, fmt_ms(ms), "", "", r])
    return rows


METRIC_HEADERS = ["case", "measure", "from medians", "target", "verdict", "from fastest runs"]
METRIC_ALIGN = ["l", "l", "r", "l", "l", "r"]


def metric_rows(results):
    rows = []
    for res in results:
        for label, val, val_min, unit, target, verdict, note in res.metric_rows:
            rows.append([res.case.name, label, fmt_val(val, unit), fmt_target(target), verdict,
                         fmt_val(val_min, unit)])
    return rows


def machine_info(args):
    info = {}
    info["nproc"] = str(os.cpu_count())
    try:
        with open("/proc/cpuinfo") as f:
            lines = f.read().splitlines()
        field = lambda name: [l.split(":", 1)[1].strip() for l in lines if l.split(":")[0].strip() == name]
        models, mhz, cache = field("model name"), field("cpu MHz"), field("cache size")
        info["cpu"] = (f"{models[0] if models else '?'} ({len(models)} logical CPUs"
                       + (f", {float(mhz[0]):.0f} MHz" if mhz else "")
                       + (f", cache {cache[0]}" if cache else "") + ")")
    except (OSError, ValueError):
        info["cpu"] = "?"
    info["kernel"] = os.uname().release
    try:
        with open("/proc/meminfo") as f:
            for l in f:
                if l.startswith("MemTotal"):
                    info["memory"] = f"{int(l.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        with open("/proc/loadavg") as f:
            info["load average at start"] = " ".join(f.read().split()[:3])
    except OSError:
        pass
    q = ("SELECT version(), (SELECT extversion FROM pg_extension WHERE extname = 'sipas'), "
         "current_setting('shared_buffers'), current_setting('work_mem'), current_setting('jit'), "
         "current_setting('fsync'), current_setting('max_parallel_workers_per_gather'), "
         "current_setting('hash_mem_multiplier'), "
         "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm')")
    p = subprocess.run([PSQL, "-X", "-q", "-A", "-t", "-F", "\x1f", "-d", args.db, "-c", q],
                       capture_output=True, text=True, env=psql_env())
    if p.returncode == 0 and p.stdout.strip():
        f = p.stdout.strip().split("\x1f")
        info["postgresql"] = f[0]
        info["sipas extension version"] = f[1]
        info["session settings"] = (f"shared_buffers {f[2]}, work_mem {f[3]}, jit {f[4]}, fsync {f[5]}, "
                                    f"max_parallel_workers_per_gather {f[6]} (cases set it), "
                                    f"hash_mem_multiplier {f[7]}")
        info["warming"] = "pg_prewarm" if f[8] == "t" else "full scan (no pg_prewarm)"
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "src", "extension"],
                               capture_output=True, text=True).stdout.strip()
        info["source"] = f"git {head}" + (" + uncommitted changes in src/ or extension/" if dirty else "")
    except OSError:
        pass
    return info


def write_markdown(path, args, info, results):
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    out = [f"# sipas benchmark results ({now})", ""]
    out.append(f"`bench/run --rows {args.rows} --reps {args.reps}"
               + (" --quick" if args.quick else "") + (f" --cases {args.cases}" if args.cases else "")
               + "`")
    out.append("")
    out.append("| | |")
    out.append("| --- | --- |")
    for k, v in info.items():
        out.append(f"| {k} | {v} |")
    if args.cluster_note:
        out.append(f"| cluster | {args.cluster_note} |")
    if args.gen_seconds:
        out.append(f"| data generation | {args.gen_seconds} s for {args.rows} answer rows (INSERT ... SELECT, VACUUM, warm) |")
    out.append("")
    out.append("Medians of the measured repetitions (after one unmeasured warm-up round unless --quick); "
               "variants of a case ran interleaved in one psql session. **ratio** = median of the sipas "
               "variant the row is compared with / this row's median (below 1: sipas is faster). "
               "Measures and verdicts below use the medians; *from fastest runs* is the same measure "
               "computed from each variant's fastest run: where the two differ much, noise moved the medians.")
    out.append("")
    out.append(table(MAIN_HEADERS, main_rows(results), MAIN_ALIGN))
    out.append("")
    mr = metric_rows(results)
    if mr:
        out.append("## Ratios and targets")
        out.append("")
        out.append(table(METRIC_HEADERS, mr, METRIC_ALIGN))
        out.append("")
    notes = [(r.case.name, n) for r in results for n in r.notes]
    if notes:
        out.append("## Notes")
        out.append("")
        for name, n in notes:
            out.append(f"- **{name}**: {n}")
        out.append("")
    out.append("## Queries")
    out.append("")
    for r in results:
        c = r.case
        out.append(f"### {c.name}: {c.title}")
        out.append("")
        if c.skip:
            out.append(f"Skipped: {c.skip}")
            out.append("")
            continue
        if r.seconds:
            out.append(f"Time (preparation, warm-up, repetitions, external runs): {r.seconds:.1f} s.")
            out.append("")
        for v in c.variants:
            sets = "".join(f"SET {k} = '{val}'; " for k, val in v.settings.items())
            out.append(f"- {v.label} (`{v.key}`"
                       + (f", {v.mode}" if v.mode != "timing" else "") + ")"
                       + (f"; first result: `{r.values[v.key]}`" if v.key in r.values and v.mode == "timing" else ""))
            out.append("")
            out.append("  ```sql")
            for l in (sets + v.sql).splitlines():
                out.append("  " + l)
            out.append("  ```")
        out.append("")
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=os.environ.get("PGDATABASE", "sipas_bench"))
    ap.add_argument("--rows", type=int, default=10_000_000, help="rows of the answer table (already generated)")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--cases", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results-latest.md"))
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--gen-seconds", default="")
    ap.add_argument("--cluster-note", default="")
    ap.add_argument("--keep-logs", action="store_true", default=bool(os.environ.get("SIPAS_BENCH_KEEP")),
                    help="keep each session's script and output (also SIPAS_BENCH_KEEP=1)")
    args = ap.parse_args()

    tmpdir = tempfile.mkdtemp(prefix="sipas-bench.", dir=os.environ.get("TMPDIR", "/tmp"))
    os.chmod(tmpdir, 0o755)
    ctx = Context(args, tmpdir)
    cases = select_cases(load_cases(ctx), args.cases)
    if args.list:
        for c in cases:
            print(f"{c.name:20} {c.title}" + (f"  [skipped: {c.skip}]" if c.skip else ""))
        shutil.rmtree(tmpdir, ignore_errors=True)
        return 0

    info = machine_info(args)
    results = []
    failed = 0
    for c in cases:
        if c.skip:
            print(f"[bench] {c.name}: skipped ({c.skip})", flush=True)
            skipped = Result(c)
            skipped.notes = []
            results.append(skipped)
            continue
        print(f"[bench] {c.name}: {c.title} ...", flush=True)
        res = run_case(ctx, c, args)
        results.append(res)
        if res.error:
            failed += 1
            print(f"[bench] {c.name}: FAILED after {res.seconds:.1f}s: {res.error}", flush=True)
        else:
            meds = ", ".join(f"{k} {fmt_ms(res.ms(k))} ms" for k in res.times if res.times[k])
            print(f"[bench] {c.name}: {res.seconds:.1f}s ({meds})", flush=True)

    print()
    print(table(MAIN_HEADERS, main_rows(results), MAIN_ALIGN))
    mr = metric_rows(results)
    if mr:
        print()
        print(table(METRIC_HEADERS, mr, METRIC_ALIGN))
    notes = [(r.case.name, n) for r in results for n in r.notes]
    if notes:
        print()
        for name, n in notes:
            print(f"note {name}: {n}")
    write_markdown(args.out, args, info, results)
    print(f"\n[bench] results written to {args.out}")
    if args.keep_logs:
        print(f"[bench] session scripts and outputs kept in {tmpdir}")
    else:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
