# hierarchy: PLACEHOLDER for issue 4 (indices over the administrative hierarchy:
# province > district > commune, departments > their agencies).  The feature does not
# exist yet, so this case is listed and skipped.
#
# When it lands, replace the body of case() with a Case like the others, e.g.:
#   prepare:  a unit -> parent table (300 units under ~30 districts under 1 province)
#   sipas:    the hierarchy aggregate / rollup over the tree from daily summaries
#   baselines: GROUP BY ROLLUP (province, district, unit) with likert_agg(score), and the
#              plain-SQL FILTER formulation with GROUP BY ROLLUP
#   metrics:  sipas / GROUP BY ROLLUP, with a target agreed in the issue
from sipas_bench import Case


def case(ctx):
    return Case("hierarchy", "indices over the unit hierarchy (issue 4)",
                skip="not implemented yet (issue 4: hierarchy)")
