# hierarchy: the official overall index per unit, items -> groups -> parts -> overall
# (questionnaire 2023, plain means), in one pass with sipas.survey_agg against the best
# plain SQL an analyst would write: item indices by GROUP BY unit, item, then the tree by
# joins and avg() level by level.  Both read the same table: the benchmark's answers with
# the item number mapped to its code in the catalogue (built once, outside the timing).
# Target: sipas >= 2x faster than the plain SQL.  The floor, sum(score) GROUP BY unit, is
# the least any one-pass GROUP BY unit over the same rows costs: if the plain SQL is less
# than 2x the floor, the target cannot be met by any implementation (see RESULTS.md).
from sipas_bench import Case, Variant, speedup, ratio

PREPARE = """
DROP TABLE IF EXISTS answers_h;
CREATE UNLOGGED TABLE answers_h AS
  SELECT a.unit, a.respondent, c.code AS item, a.score
  FROM answers a
  JOIN (SELECT row_number() OVER (ORDER BY code)::smallint AS item, code
        FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item') c USING (item);
{warm}
"""

PLAIN = """WITH it AS (
  SELECT unit, item, 100.0 * count(*) FILTER (WHERE score >= 4) / count(score) AS idx
  FROM answers_h GROUP BY unit, item HAVING count(score) > 0),
tree AS (SELECT code, parent FROM sipas.node WHERE questionnaire = '2023'),
grp AS (SELECT it.unit, t.parent AS code, avg(idx) AS idx FROM it JOIN tree t ON t.code = it.item GROUP BY 1, 2),
part AS (SELECT g.unit, t.parent AS code, avg(idx) AS idx FROM grp g JOIN tree t USING (code) GROUP BY 1, 2)
SELECT count(*), round(sum(idx), 6) FROM (SELECT unit, avg(idx) AS idx FROM part GROUP BY unit) o"""


def case(ctx):
    return Case(
        "hierarchy", "overall index per unit, full hierarchy (39 items, 9 groups, 2 parts)",
        rows=ctx.rows, prepare=PREPARE.format(warm=ctx.warm("answers_h")),
        variants=[
            Variant("sipas", "sipas: overall(survey_agg(item, score)) GROUP BY unit",
                    "SELECT count(*), round(sum(o)::numeric, 6) FROM (\n"
                    "  SELECT unit, sipas.overall(sipas.survey_agg(item, score)) AS o FROM answers_h GROUP BY unit) g"),
            Variant("plain", "plain SQL: GROUP BY unit, item, then groups, parts, overall", PLAIN),
            Variant("floor", "floor: sum(score) GROUP BY unit",
                    "SELECT count(*), sum(s) FROM (SELECT unit, sum(score) AS s FROM answers_h GROUP BY unit) g"),
        ],
        metrics=[
            speedup("sipas vs plain SQL", "plain", "sipas", (">=", 2)),
            ratio("sipas / floor sum(score) GROUP BY unit", "sipas", "floor"),
            ratio("plain SQL / floor (the best speed-up any one-pass method can reach)", "plain", "floor"),
        ],
        check_equal=[["sipas", "plain"]],
    )
