# parallel: the speed-up of 2 parallel workers over none, for satisfaction_index(score)
# and for the floor sum(score) on the same query shape.  sipas should scale like the floor:
# speed-up ratio >= 0.9.  Parallel plans are forced to be free (setup/tuple cost 0, any
# table size); the plans are checked with EXPLAIN ANALYZE once, outside timing.
import os

from sipas_bench import Case, Metric, Variant

PAR = {"parallel_setup_cost": "0", "parallel_tuple_cost": "0", "min_parallel_table_scan_size": "0"}
W2 = dict(PAR, max_parallel_workers_per_gather="2")
W0 = dict(PAR, max_parallel_workers_per_gather="0")
SIPAS = "SELECT sipas.satisfaction_index(score) FROM answers"
FLOOR = "SELECT sum(score) FROM answers"


def explain(sql):
    sets = " ".join(f"SET {k} = '{v}';" for k, v in W2.items())
    resets = " ".join(f"RESET {k};" for k in W2)
    return f"{sets}\nEXPLAIN (ANALYZE, TIMING OFF, COSTS OFF) {sql};\n{resets}"


def check_plans(ctx, res):
    for name in ("plan_sipas", "plan_floor"):
        plan = res.info.get(name, "")
        launched = [l.split(":")[1].strip() for l in plan.splitlines() if "Workers Launched" in l]
        partial = "Partial Aggregate" in plan
        res.notes.append(f"{name}: workers launched {launched[0] if launched else 'none'}, "
                         f"partial aggregate {'yes' if partial else 'NO'}")
        if not launched or launched[0] != "2" or not partial:
            res.notes.append(f"WARNING {name}: not the expected parallel plan:\n" + plan)


def case(ctx):
    sp = lambda r: r.ms("sipas_w0") / r.ms("sipas_w2")
    fl = lambda r: r.ms("floor_w0") / r.ms("floor_w2")
    return Case(
        "parallel", "2 workers vs 0: satisfaction_index(score) and floor sum(score)",
        rows=ctx.rows,
        info={"plan_sipas": explain(SIPAS), "plan_floor": explain(FLOOR)},
        variants=[
            Variant("sipas_w2", "sipas: satisfaction_index(score), 2 workers", SIPAS, W2, vs=""),
            Variant("sipas_w0", "sipas: satisfaction_index(score), 0 workers", SIPAS, W0, vs=""),
            Variant("floor_w2", "floor: sum(score), 2 workers", FLOOR, W2, vs="sipas_w2"),
            Variant("floor_w0", "floor: sum(score), 0 workers", FLOOR, W0, vs="sipas_w0"),
        ],
        metrics=[
            Metric("speed-up of satisfaction_index, 2 workers vs 0", sp, unit="x faster"),
            Metric("speed-up of floor sum(score), 2 workers vs 0", fl, unit="x faster"),
            Metric("sipas speed-up / floor speed-up", lambda r: sp(r) / fl(r), (">=", 0.9)),
        ],
        external=check_plans,
        notes=[f"{os.cpu_count()} CPUs: the 2 workers and the leader (which also scans) share them."],
    )
