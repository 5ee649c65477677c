# r_survey: per-unit confidence intervals, sipas against R's survey package.  About
# 1,000,000 answers (the first 1M rows, NULL scores left out: R gets exactly the rows
# sipas aggregates) are exported to CSV outside timing; R times (system.time)
#   svyby(~I(score >= 4), ~unit, svydesign(ids = ~1, weights = ~weight, data = d),
#         svyciprop, method = "logit")
# once (about a minute), sipas times
#   SELECT unit, confidence_interval(likert_agg(score, weight), 0.95, 'logit') ... GROUP BY unit
# R times.  SIPAS_BENCH_R_FUN=svymean times svyby(~sat, ~unit, design, svymean) instead
# (point estimates and standard errors only).  The figures are compared too: point
# estimates agree to ~1e-7 points (glm convergence); the bounds differ by O(1/n_u) because
# svyby treats a unit as a domain of the whole sample (see the note printed).  Skipped
# under --quick, or without Rscript / survey.
import csv
import os
import re
import shutil
import subprocess

from sipas_bench import Case, Variant, speedup

FUN = os.environ.get("SIPAS_BENCH_R_FUN", "svyciprop")
R_CALLS = {
    "svyciprop": 'svyby(~I(score >= 4), ~unit, design, svyciprop, method = "logit")',
    "svymean": "svyby(~sat, ~unit, design, svymean)",
}


def r_available():
    if shutil.which("Rscript") is None:
        return "Rscript not found (apt-get install r-cran-survey)"
    p = subprocess.run(["Rscript", "-e", "suppressMessages(library(survey))"], capture_output=True, text=True)
    return None if p.returncode == 0 else "R package survey not installed (apt-get install r-cran-survey)"


def run_r(ctx, res):
    csv_in = os.path.join(ctx.tmpdir, "r_answers.csv")
    csv_out = os.path.join(ctx.tmpdir, "r_result.csv")
    p = subprocess.run(["Rscript", os.path.join(ctx.here, "r_survey.R"), csv_in, csv_out, FUN],
                       capture_output=True, text=True)
    m = re.search(r"elapsed_seconds=([0-9.]+)", p.stdout)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"Rscript failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
    r_ms = float(m.group(1)) * 1000
    res.external_ms["r"] = r_ms
    res.external_rows.append((f"R survey: {R_CALLS[FUN]} (1 run)", int(res.info["rows"]), r_ms,
                              f"{res.ms('sipas') / r_ms:.4f}"))
    # agreement of the figures
    with open(csv_out) as f:
        r_rows = {int(row["unit"]): row for row in csv.DictReader(f)}
    with open(os.path.join(ctx.tmpdir, "sipas_ci.csv")) as f:
        s_rows = {int(row["unit"]): row for row in csv.DictReader(f)}
    cols = ["idx", "lower", "upper"] if FUN == "svyciprop" else ["idx"]
    worst = {c: 0.0 for c in cols}
    for unit, s in s_rows.items():
        r = r_rows.get(unit)
        if r is None:
            raise RuntimeError(f"unit {unit} missing from R's result")
        for c in cols:
            worst[c] = max(worst[c], abs(float(s[c]) - float(r[c])))
    res.notes.append(f"R ({FUN}) and sipas on {len(s_rows)} units, largest difference in points: "
                     + ", ".join(f"{c} {v:.2g}" for c, v in worst.items())
                     + (". svyby estimates each unit as a domain of the whole sample: its variance uses "
                        "n/(n-1) over all answers where sipas (like svyciprop on a design of the unit's own "
                        "answers, which tests/oracle checks to 1e-9) uses the unit's n_u/(n_u-1), so R's "
                        "intervals are narrower by about sqrt((n_u-1)/n_u): a difference that shrinks "
                        "with the unit size" if FUN == "svyciprop" else ""))


def case(ctx):
    n = min(1_000_000, ctx.rows)
    skip = "not run under --quick (R takes about a minute)" if ctx.quick else r_available()
    csv_in = os.path.join(ctx.tmpdir, "r_answers.csv")
    csv_ci = os.path.join(ctx.tmpdir, "sipas_ci.csv")
    sipas_ci = ("SELECT unit, sipas.satisfaction_index(s) AS idx, ci.lower, ci.upper\n"
                "FROM (SELECT unit, sipas.likert_agg(score, weight) AS s FROM r_answers GROUP BY unit) g,\n"
                "     sipas.confidence_interval(g.s, 0.95, 'logit') ci ORDER BY unit")
    return Case(
        "r_survey", f"per-unit logit intervals: sipas vs R survey {FUN} via svyby",
        rows=lambda r: int(r.info["rows"]),
        skip=skip,
        prepare=f"""
DROP TABLE IF EXISTS r_answers;
CREATE UNLOGGED TABLE r_answers AS
  SELECT unit, score, weight FROM answers WHERE id < {n} AND score IS NOT NULL ORDER BY id;
{ctx.warm('r_answers')}
\\copy r_answers TO '{csv_in}' WITH (FORMAT csv, HEADER)
\\copy ({sipas_ci.replace(chr(10), ' ')}) TO '{csv_ci}' WITH (FORMAT csv, HEADER)
""",
        info={"rows": "SELECT count(*) FROM r_answers"},
        variants=[
            Variant("sipas", "sipas: confidence_interval(likert_agg(score, weight), 0.95, 'logit') GROUP BY unit",
                    "SELECT count(*), sum((ci).lower), sum((ci).upper) FROM (\n"
                    "  SELECT unit, sipas.confidence_interval(sipas.likert_agg(score, weight), 0.95, 'logit') AS ci\n"
                    "  FROM r_answers GROUP BY unit) g",
                    rows=lambda r: int(r.info["rows"])),
        ],
        metrics=[speedup(f"sipas vs R survey ({FUN} via svyby)", "r", "sipas", (">=", 50))],
        external=run_r,
        notes=[f"R times only the svyby() call ({R_CALLS[FUN]}), once; reading the CSV and "
               "building the design are not timed."],
    )
