# window: a moving satisfaction index over 1,000,000 rows: a 1000-row frame against a
# 10-row frame.  With an exact inverse transition the cost per row does not depend on the
# frame size: target 1000 vs 10 <= 1.3x.  Also shown: the same 1000-row frame in plain SQL
# (count FILTER / count, both with inverse transitions) and the floor sum(score).
from sipas_bench import Case, Variant, ratio


def over(n):
    return f"OVER (ORDER BY id ROWS BETWEEN {n} PRECEDING AND CURRENT ROW)"


def case(ctx):
    n = min(1_000_000, ctx.rows)
    return Case(
        "window", "moving satisfaction_index, 1000-row vs 10-row frame",
        rows=n,
        prepare=f"""
DROP TABLE IF EXISTS win;
CREATE UNLOGGED TABLE win AS SELECT id, score FROM answers WHERE id < {n} ORDER BY id;
ALTER TABLE win ADD PRIMARY KEY (id);
{ctx.warm('win')}
SELECT bench_warm('win_pkey');
""",
        variants=[
            Variant("sipas_1000", "sipas: satisfaction_index(score), 1000-row frame",
                    f"SELECT max(x) FROM (\n  SELECT sipas.satisfaction_index(score) {over(999)} AS x FROM win) w"),
            Variant("sipas_10", "sipas: satisfaction_index(score), 10-row frame",
                    f"SELECT max(x) FROM (\n  SELECT sipas.satisfaction_index(score) {over(9)} AS x FROM win) w"),
            Variant("plain_1000", "plain SQL: count FILTER / count, 1000-row frame",
                    "SELECT max(x) FROM (\n"
                    "  SELECT 100.0 * count(*) FILTER (WHERE score >= 4) OVER w / nullif(count(score) OVER w, 0) AS x\n"
                    f"  FROM win WINDOW w AS (ORDER BY id ROWS BETWEEN 999 PRECEDING AND CURRENT ROW)) w"),
            Variant("floor_1000", "floor: sum(score), 1000-row frame",
                    f"SELECT max(x) FROM (\n  SELECT sum(score) {over(999)} AS x FROM win) w"),
        ],
        metrics=[
            ratio("1000-row frame / 10-row frame", "sipas_1000", "sipas_10", ("<=", 1.3)),
            ratio("sipas / plain SQL, 1000-row frame", "sipas_1000", "plain_1000"),
            ratio("sipas / floor sum(score), 1000-row frame", "sipas_1000", "floor_1000"),
        ],
    )
