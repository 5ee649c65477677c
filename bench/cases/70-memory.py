# memory: hash aggregation over ~1,000,000 groups (10 answers each at the default size)
# with likert_agg(score), against count(score) on the same groups (the floor: PostgreSQL's
# own per-group cost of hashing, keys and per-group state slots).  Bytes per group come
# from EXPLAIN ANALYZE's "Memory Usage" of the HashAggregate (peak memory of the hash table,
# the group keys and the transition states, counted in allocated blocks) divided by its
# actual rows; the summary's own size is pg_column_size of one likert_agg(score) value
# (48 bytes unweighted, 5 levels).  Timings are EXPLAIN ANALYZE's Execution Time.
from sipas_bench import Case, Metric, Variant

SETTINGS = {"enable_sort": "off"}     # make sure both plans hash


def per_group(r, key):
    return r.extra_median(key, "mem_kb") * 1024 / r.extra_median(key, "groups")


def checks(ctx, res):
    for key in ("sipas", "floor"):
        ex = res.extra.get(key, {})
        if not ex.get("mem_kb") or not ex.get("groups"):
            raise RuntimeError(f"{key}: no HashAggregate memory / rows in EXPLAIN output")
        if ex.get("disk_kb"):
            res.notes.append(f"WARNING {key}: the hash aggregate spilled to disk ({ex['disk_kb'][0]} kB): "
                             "bytes per group understate the need")
    res.notes.append(f"{int(res.extra_median('sipas', 'groups')):,} groups; HashAggregate peak memory: "
                     f"sipas {res.extra_median('sipas', 'mem_kb'):,.0f} kB, "
                     f"count(score) {res.extra_median('floor', 'mem_kb'):,.0f} kB; "
                     f"summary size {res.info['summary_bytes']} B unweighted, "
                     f"{res.info['weighted_bytes']} B weighted")


def case(ctx):
    per = max(10, -(-ctx.rows // 1_000_000))    # answers per group: >= 10, <= ~1M groups
    groups = -(-ctx.rows // per)
    size = lambda r: float(r.info["summary_bytes"])
    return Case(
        "memory", f"likert_agg(score) GROUP BY ~{groups:,} groups: bytes per group",
        rows=ctx.rows,
        prepare=f"""
DROP TABLE IF EXISTS mem;
CREATE UNLOGGED TABLE mem AS SELECT id / {per} AS grp, score FROM answers;
ALTER TABLE mem ALTER COLUMN grp SET (n_distinct = {groups});
{ctx.warm('mem')}
""",
        info={"summary_bytes": "SELECT pg_column_size(sipas.likert_agg(score)) FROM answers WHERE id < 1000",
              "weighted_bytes": "SELECT pg_column_size(sipas.likert_agg(score, weight)) FROM answers WHERE id < 1000"},
        variants=[
            Variant("sipas", f"sipas: likert_agg(score) GROUP BY grp (EXPLAIN ANALYZE)",
                    "SELECT count(*), sum(sipas.n(s)) FROM (\n"
                    "  SELECT grp, sipas.likert_agg(score) AS s FROM mem GROUP BY grp) g",
                    SETTINGS, mode="explain"),
            Variant("floor", f"floor: count(score) GROUP BY grp (EXPLAIN ANALYZE)",
                    "SELECT count(*), sum(c) FROM (\n"
                    "  SELECT grp, count(score) AS c FROM mem GROUP BY grp) g",
                    SETTINGS, mode="explain"),
        ],
        metrics=[
            Metric("sipas bytes per group (hash table + key + state)", lambda r: per_group(r, "sipas"), unit="B"),
            Metric("floor count(score) bytes per group", lambda r: per_group(r, "floor"), unit="B"),
            Metric("summary size (pg_column_size)", size, unit="B"),
            Metric("sipas bytes per group / summary size", lambda r: per_group(r, "sipas") / size(r), ("<=", 2)),
            Metric("(sipas - floor) bytes per group / summary size",
                   lambda r: (per_group(r, "sipas") - per_group(r, "floor")) / size(r), ("<=", 2)),
        ],
        external=checks,
        reps=None if ctx.quick else max(1, min(ctx.reps, 3)),
    )
