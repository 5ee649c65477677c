# rank_change_* / streaks_*: the ranking window functions against their plain-SQL
# formulations (the ones sql/rankings.sql checks them against) on a table of per-(group,
# unit, period) results: 100k rows = 20 groups x 500 units x 10 periods and 1M rows =
# 20 groups x 5,000 units x 10 periods (under --quick: 20 x 5 x 10 and 20 x 50 x 10).
# Indices have two decimals (some ties); rnk is the rank inside (group, period).
#   rank_change  sipas.rank_change(idx, period, unit) OVER (PARTITION BY grp)
#                vs rank() per (grp, period) + the previous period's rank by a self-join
#                (exact: the previous period present in the group), and by lag() per unit
#                (shortest formulation; equal here because every unit has every period)
#   streaks      sipas.consecutive(rnk = 1) OVER (PARTITION BY grp, unit ORDER BY period)
#                vs gaps and islands (row_number differences)
# Floors: the cheapest window over the same sort and partitioning (count(*) over the group,
# row_number() over (grp, unit ORDER BY period)): what PostgreSQL spends before sipas
# computes anything.  Target: sipas >= 2x faster than plain SQL at 1M rows.
from sipas_bench import Case, Variant, ratio, speedup

SIZES = [("100k", 500, 5), ("1m", 5000, 50)]   # name, units (full), units (--quick)


def results_table(ctx, name, units):
    t = f"results_{name}"
    return t, f"""
SELECT setseed(0.61);
CREATE UNLOGGED TABLE IF NOT EXISTS {t} AS
  SELECT grp, unit, period, idx, rank() OVER (PARTITION BY grp, period ORDER BY idx DESC) AS rnk
  FROM (SELECT g AS grp, u AS unit, p AS period, round((60 + 40 * random())::numeric, 2)::float8 AS idx
        FROM generate_series(1, 20) g, generate_series(1, {units}) u, generate_series(2015, 2024) p) s;
{ctx.warm(t)}
"""


def rank_change_case(ctx, name, units):
    t, prep = results_table(ctx, name, units)
    out = "SELECT count(moved), sum(abs(moved)) FROM"
    return Case(
        f"rank_change_{name}", f"rank_change vs rank() + previous period, {20 * units * 10:,} rows",
        rows=20 * units * 10, prepare=prep,
        variants=[
            Variant("sipas", "sipas: rank_change(idx, period, unit) OVER (PARTITION BY grp)",
                    f"{out} (\n  SELECT sipas.rank_change(idx, period, unit) OVER (PARTITION BY grp) AS moved FROM {t}) s"),
            Variant("join", "plain SQL: rank() + previous period by self-join",
                    f"""WITH r AS (
  SELECT grp, unit, period, idx, rank() OVER (PARTITION BY grp, period ORDER BY idx DESC) AS rnk FROM {t}),
periods AS (
  SELECT grp, period, lag(period) OVER (PARTITION BY grp ORDER BY period) AS prev_period
  FROM (SELECT DISTINCT grp, period FROM {t}) d)
{out} (
  SELECT p.rnk - r.rnk AS moved
  FROM r JOIN periods USING (grp, period)
  LEFT JOIN r p ON p.grp = r.grp AND p.unit = r.unit AND p.period = periods.prev_period) s"""),
            Variant("lag", "plain SQL: rank() + lag() per unit",
                    f"""{out} (
  SELECT lag(rnk) OVER (PARTITION BY grp, unit ORDER BY period) - rnk AS moved
  FROM (SELECT grp, unit, period, rank() OVER (PARTITION BY grp, period ORDER BY idx DESC) AS rnk FROM {t}) r) s"""),
            Variant("floor", "floor: count(*) OVER (PARTITION BY grp) (same sort, partition buffered)",
                    f"SELECT count(c), sum(c) FROM (\n  SELECT count(*) OVER (PARTITION BY grp) AS c FROM {t}) s"),
        ],
        metrics=[
            speedup("sipas vs plain SQL (self-join)", "join", "sipas", (">=", 2) if name == "1m" else None),
            speedup("sipas vs plain SQL (lag)", "lag", "sipas", (">=", 2) if name == "1m" else None),
            ratio("sipas / floor count(*) OVER (PARTITION BY grp)", "sipas", "floor"),
        ],
        check_equal=[["sipas", "join", "lag"]],
    )


def streaks_case(ctx, name, units):
    t, prep = results_table(ctx, name, units)
    return Case(
        f"streaks_{name}", f"consecutive(rnk = 1) vs gaps and islands, {20 * units * 10:,} rows",
        rows=20 * units * 10, prepare=prep,
        variants=[
            Variant("sipas", "sipas: consecutive(rnk = 1) OVER (PARTITION BY grp, unit ORDER BY period)",
                    f"SELECT count(c), sum(c), max(c) FROM (\n"
                    f"  SELECT sipas.consecutive(rnk = 1) OVER (PARTITION BY grp, unit ORDER BY period) AS c FROM {t}) s"),
            Variant("islands", "plain SQL: gaps and islands (3 row_number windows)",
                    f"""WITH flagged AS (
  SELECT grp, unit, period, rnk, coalesce(rnk = 1, false) AS c,
         row_number() OVER (PARTITION BY grp, unit ORDER BY period)
         - row_number() OVER (PARTITION BY grp, unit, coalesce(rnk = 1, false) ORDER BY period) AS island
  FROM {t})
SELECT count(n), sum(n), max(n) FROM (
  SELECT CASE WHEN rnk IS NULL THEN NULL
              WHEN c THEN row_number() OVER (PARTITION BY grp, unit, c, island ORDER BY period)
              ELSE 0 END AS n
  FROM flagged) s"""),
            Variant("floor", "floor: row_number() OVER (PARTITION BY grp, unit ORDER BY period)",
                    f"SELECT count(c), sum(c), max(c) FROM (\n"
                    f"  SELECT row_number() OVER (PARTITION BY grp, unit ORDER BY period) AS c FROM {t}) s"),
        ],
        metrics=[speedup("sipas vs plain SQL (gaps and islands)", "islands", "sipas",
                         (">=", 2) if name == "1m" else None),
                 ratio("sipas / floor row_number() over the same window", "sipas", "floor")],
        check_equal=[["sipas", "islands"]],
    )


def case(ctx):
    out = []
    for name, full, quick in SIZES:
        out.append(rank_change_case(ctx, name, quick if ctx.quick else full))
    for name, full, quick in SIZES:
        out.append(streaks_case(ctx, name, quick if ctx.quick else full))
    return out
