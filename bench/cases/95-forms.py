# forms: per-unit survey summaries from forms against the same answers as rows.  Once,
# outside timing, the benchmark's answers get their item codes (questionnaire 2023) and
# one sipas.form per respondent is built with form_agg(item, score).  Timed: survey_agg(f)
# GROUP BY unit over the forms, survey_agg(item, score) GROUP BY unit over the answer
# rows (the row path), and the floor sum(score) GROUP BY unit over those rows.  The forms
# summaries carry more (the respondent-level moments for clustered standard errors), and
# both give the same answer counts (checked).  Targets: forms >= 8x faster than the row
# path, and faster than the floor: one tuple per respondent instead of 39.
from sipas_bench import Case, Variant, speedup, ratio

PREPARE = """
DROP TABLE IF EXISTS answers_f;
CREATE UNLOGGED TABLE answers_f AS
  SELECT a.unit, a.respondent, a.weight, c.code AS item, a.score
  FROM answers a
  JOIN (SELECT row_number() OVER (ORDER BY code)::smallint AS item, code
        FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item') c USING (item);
DROP TABLE IF EXISTS forms_f;
CREATE UNLOGGED TABLE forms_f AS
  SELECT unit, respondent, weight, sipas.form_agg(item, score) AS f
  FROM answers_f GROUP BY unit, respondent, weight;
{warm}
"""

CHECK = "count(*), sum(sipas.n(s))"


def sizes(ctx, res):
    i = res.info
    res.notes.append(f"{int(i['forms']):,} forms; bytes per form {i['bytes_per_form']}; bytes per 39-item "
                     f"summary (one unit, ~{int(i['forms']) // 300:,} forms): {i['bytes_per_summary_stored']} "
                     f"unweighted, {i['bytes_per_weighted_summary']} weighted, "
                     f"{i['bytes_per_row_summary']} built from rows (no forms section)")


def case(ctx):
    return Case(
        "forms", "per-unit survey summaries: survey_agg(form) vs survey_agg(item, score) over the same answers",
        rows=ctx.rows, prepare=PREPARE.format(warm=ctx.warm("answers_f", "forms_f")),
        info={
            "forms": "SELECT count(*) FROM forms_f",
            "bytes_per_form": "SELECT round(avg(pg_column_size(f)), 1) FROM forms_f",
            "bytes_per_summary_stored": "SELECT round(avg(pg_column_size(s))) FROM ("
                                        "SELECT sipas.survey_agg(f) AS s FROM forms_f GROUP BY unit) g",
            "bytes_per_weighted_summary": "SELECT round(avg(pg_column_size(s))) FROM ("
                                          "SELECT sipas.survey_agg(f, weight) AS s FROM forms_f GROUP BY unit) g",
            "bytes_per_row_summary": "SELECT round(avg(pg_column_size(s))) FROM ("
                                     "SELECT sipas.survey_agg(item, score) AS s FROM answers_f GROUP BY unit) g",
        },
        variants=[
            Variant("forms", "sipas: survey_agg(f) GROUP BY unit over the forms",
                    f"SELECT {CHECK} FROM (\n  SELECT unit, sipas.survey_agg(f) AS s FROM forms_f GROUP BY unit) g",
                    rows=lambda r: int(r.info["forms"])),
            Variant("wforms", "sipas: survey_agg(f, weight) GROUP BY unit over the forms",
                    f"SELECT {CHECK} FROM (\n  SELECT unit, sipas.survey_agg(f, weight) AS s FROM forms_f GROUP BY unit) g",
                    rows=lambda r: int(r.info["forms"]), vs="forms"),
            Variant("rows", "sipas: survey_agg(item, score) GROUP BY unit over the answer rows",
                    f"SELECT {CHECK} FROM (\n  SELECT unit, sipas.survey_agg(item, score) AS s FROM answers_f GROUP BY unit) g",
                    vs="forms"),
            Variant("floor", "floor: sum(score) GROUP BY unit over the answer rows",
                    "SELECT count(*), sum(s) FROM (SELECT unit, sum(score) AS s FROM answers_f GROUP BY unit) g",
                    vs="forms"),
        ],
        metrics=[
            speedup("forms vs rows: survey_agg(item, score) / survey_agg(f)", "rows", "forms", (">=", 8)),
            ratio("forms / floor sum(score) over the rows", "forms", "floor", ("<=", 1.0)),
            ratio("weighted forms / floor sum(score) over the rows", "wforms", "floor"),
        ],
        check_equal=[["forms", "rows", "wforms"]],
        external=sizes,
        notes=["bytes: pg_column_size of the sipas.form values and of the per-unit summaries "
               "(uncompressed datums)."],
    )
