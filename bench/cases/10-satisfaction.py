# satisfaction: satisfaction_index(score) over the whole answer table on one core, against
# the cheapest aggregate PostgreSQL has over the same column (sum(score): the floor) and
# against the plain-SQL formulation of the same figure.
from sipas_bench import Case, Variant, ratio


def case(ctx):
    return Case(
        "satisfaction", "satisfaction_index(score), whole table, one core",
        rows=ctx.rows,
        variants=[
            Variant("sipas", "sipas: satisfaction_index(score)",
                    "SELECT sipas.satisfaction_index(score) FROM answers"),
            Variant("sum", "floor: sum(score)",
                    "SELECT sum(score) FROM answers"),
            Variant("filter", "plain SQL: 100.0 * count(*) FILTER (WHERE score >= 4) / count(score)",
                    "SELECT 100.0 * count(*) FILTER (WHERE score >= 4) / count(score) FROM answers"),
        ],
        metrics=[
            ratio("satisfaction_index / floor sum(score)", "sipas", "sum", ("<=", 1.10)),
            ratio("satisfaction_index / plain SQL FILTER", "sipas", "filter", ("<=", 0.80)),
        ],
    )
