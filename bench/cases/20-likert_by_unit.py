# likert_by_unit: the weighted histogram per unit (GROUP BY unit, ~300 groups) against
# sum(weight) GROUP BY unit (the floor: one aggregate over one of its two columns) and
# against the plain SQL that yields what the weighted index and its standard error need.
from sipas_bench import Case, Variant, ratio

PLAIN = """SELECT count(*), sum(n) FROM (
  SELECT unit, count(score) AS n,
         sum(weight) FILTER (WHERE score >= 4) AS w_sat, sum(weight) FILTER (WHERE score IS NOT NULL) AS w_all,
         sum(weight * weight) FILTER (WHERE score >= 4) AS w2_sat, sum(weight * weight) FILTER (WHERE score < 4) AS w2_other
  FROM answers GROUP BY unit) g
WHERE w_sat IS NOT NULL OR w_all IS NOT NULL OR w2_sat IS NOT NULL OR w2_other IS NOT NULL"""


def case(ctx):
    return Case(
        "likert_by_unit", "likert_agg(score, weight) GROUP BY unit",
        rows=ctx.rows,
        variants=[
            Variant("sipas", "sipas: likert_agg(score, weight) GROUP BY unit",
                    "SELECT count(*), sum(sipas.n(s)) FROM (\n"
                    "  SELECT unit, sipas.likert_agg(score, weight) AS s FROM answers GROUP BY unit) g"),
            Variant("sumw", "floor: sum(weight) GROUP BY unit",
                    "SELECT count(*), sum(w) FROM (\n"
                    "  SELECT unit, sum(weight) AS w FROM answers GROUP BY unit) g"),
            Variant("plain", "plain SQL: count + 4 FILTERed sums of weight, weight^2 GROUP BY unit", PLAIN),
        ],
        metrics=[
            ratio("likert_agg(score, weight) / floor sum(weight), by unit", "sipas", "sumw", ("<=", 1.15)),
            ratio("likert_agg(score, weight) / plain SQL sums, by unit", "sipas", "plain"),
        ],
        notes=["The plain-SQL row computes only what the weighted index and its standard error need "
               "(n, sums of w and w^2 of satisfied / other answers), not the full histogram."],
    )
