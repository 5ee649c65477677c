# rollup: a year per unit from stored daily summaries.  Once, outside timing, a table of
# per-unit-per-day summaries is built (300 units x 365 days, fewer when a unit has no
# answer that day); then rollup(s) GROUP BY unit is timed against rescanning every answer
# with likert_agg(score) GROUP BY unit.  Both give the same histograms.
from sipas_bench import Case, Variant, speedup

CHECK = "count(*), sum(sipas.n(s)), round(sum(sipas.satisfaction_index(s))::numeric, 6)"


def case(ctx):
    return Case(
        "rollup", "year per unit: rollup of daily summaries vs rescanning the answers",
        rows=ctx.rows,
        prepare=f"""
DROP TABLE IF EXISTS daily;
CREATE UNLOGGED TABLE daily AS
  SELECT unit, day, sipas.likert_agg(score) AS s FROM answers GROUP BY unit, day;
{ctx.warm('daily')}
""",
        info={"daily_rows": "SELECT count(*) FROM daily"},
        variants=[
            Variant("rollup", "sipas: rollup(s) GROUP BY unit over daily summaries",
                    f"SELECT {CHECK} FROM (\n  SELECT unit, sipas.rollup(s) AS s FROM daily GROUP BY unit) g",
                    rows=lambda r: int(r.info["daily_rows"])),
            Variant("rescan", "sipas: likert_agg(score) GROUP BY unit over the answers",
                    f"SELECT {CHECK} FROM (\n  SELECT unit, sipas.likert_agg(score) AS s FROM answers GROUP BY unit) g"),
        ],
        metrics=[speedup("rollup of daily summaries vs rescanning answers", "rescan", "rollup", (">=", 45))],
        check_equal=[["rollup", "rescan"]],
    )
