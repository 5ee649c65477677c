# rollup_read: reading an incremental rollup (doc/rollups.md) while answers stream in.  Once,
# outside timing, the benchmark's answers get their item codes (questionnaire 2023), a
# rollup by unit and month is created over them (sipas.rollup_create) and 10,000 new
# answers are inserted without a refresh, so the exact view reads base + deltas.  Timed:
# the exact view, the <name>_refreshed view (base only, as of the last refresh), and a
# full recompute of survey_agg by unit and month; exact view and recompute must agree.
# The refresh itself and the write overhead are stateful: bench/rollup measures them.
from sipas_bench import Case, Variant, speedup

PREPARE = """
SELECT sipas.rollup_drop(rollup, true) FROM sipas_internal.rollup WHERE rollup = to_regclass('bench_unit_month');
DROP TABLE IF EXISTS answers_r CASCADE;
CREATE TABLE answers_r AS
  SELECT a.id, a.unit, a.period, c.code AS item, a.score
  FROM answers a
  JOIN (SELECT row_number() OVER (ORDER BY code)::smallint AS item, code
        FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item') c USING (item);
ALTER TABLE answers_r ALTER unit SET NOT NULL, ALTER period SET NOT NULL, ALTER item SET NOT NULL;
SELECT sipas.rollup_create('bench_unit_month', 'answers_r', ARRAY['unit', 'period']) IS NOT NULL;
INSERT INTO answers_r (id, unit, period, item, score)
  SELECT -g, 1 + g % 300, 1 + g % 12, (SELECT code FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item'
                                      ORDER BY code LIMIT 1 OFFSET g % 39), 1 + g % 5
  FROM generate_series(1, 10000) g;
{warm}
"""

CHECK = "count(*), sum(rows), sum(length(summary::text))"


def case(ctx):
    return Case(
        "rollup_read", "rollup by unit and month with 10,000 answers pending: exact view vs base only vs recompute",
        rows=ctx.rows, prepare=PREPARE.format(warm=ctx.warm("answers_r", "bench_unit_month_base", "bench_unit_month_delta")),
        info={"pending": "SELECT pending_deltas FROM sipas.rollup_status WHERE rollup = 'bench_unit_month'::regclass"},
        variants=[
            Variant("exact", "sipas: the exact view (base + pending deltas)",
                    f"SELECT {CHECK} FROM bench_unit_month"),
            Variant("refreshed", "sipas: <name>_refreshed (base only, as of the last refresh)",
                    f"SELECT {CHECK} FROM bench_unit_month_refreshed"),
            Variant("recompute", "sipas: survey_agg(item, score) GROUP BY unit, period over the answers",
                    f"SELECT {CHECK} FROM (SELECT unit, period, count(*) AS rows, sipas.survey_agg(item, score) AS summary "
                    f"FROM answers_r GROUP BY 1, 2) g"),
        ],
        metrics=[speedup("exact rollup read vs recompute", "recompute", "exact"),
                 speedup("base-only read vs recompute", "recompute", "refreshed")],
        check_equal=[["exact", "recompute"]],
    )
