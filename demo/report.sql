-- The report an official publishes, on sipas's report functions: headlines,
-- the province's index and its change, the drill-down by part and group, then
-- departments and districts ranked (doc/report.md documents every column).
\set ON_ERROR_STOP on
\pset footer off
\pset null '—'

-- one summary per unit and year from its forms (one sipas.form per respondent,
-- demo/load.sql): it knows its respondents and the index's standard error
-- clustered by respondent, so the intervals, significance marks and plausible
-- ranks below come from these summaries alone
CREATE TEMP TABLE unit_year AS
SELECT f.period, CASE u.grp WHEN 'department' THEN 'Sở, ban, ngành' ELSE 'UBND cấp huyện' END AS nhom,
       u.code, u.name, sipas.survey_agg(f.f) AS s
FROM demo.forms f JOIN demo.unit u ON u.code = f.unit
GROUP BY f.period, u.grp, u.code, u.name;
ANALYZE unit_year;

-- the ranking table: one row per unit and year, every figure of the printed tables
CREATE TEMP TABLE ranked AS
SELECT * FROM sipas.ranking_table('unit_year', 'nhom', 'name', 'period', 's', min_respondents => 30);

\echo
\echo '  SIPAS 2024 — chỉ số hài lòng về sự phục vụ hành chính (tỉnh giả định / fictional demo province)'
\echo '  39 tiêu chí, bộ câu hỏi 2023–2026 / 39 items of the 2023–2026 questionnaire; chỉ số = tỷ lệ trả lời 4–5 / share of answers 4–5;'
\echo '  tiêu chí → nhóm → phần → chỉ số chung, bình quân / items → groups → parts → overall by plain means; 2 chữ số thập phân / two decimals.'
\echo
\echo '  Tin chính / headlines'
\pset format unaligned
\pset tuples_only on
SELECT format(E'  • %s\n    %s', vi, en)
FROM sipas.headlines('unit_year', 'nhom', 'name', 'period', 's', min_respondents => 30);
\pset format aligned
\pset tuples_only off
\echo

\echo '  Chỉ số của tỉnh / province index'
SELECT period AS "Năm / year", mean_published AS "SIPAS (bình quân đơn vị / mean of units)",
       to_char(mean_change, 'FMSG990.00') AS "± điểm / points",
       pooled_published AS "gộp câu trả lời / pooled", respondents AS "phiếu / forms"
FROM sipas.province_trend('unit_year', 'nhom', 'name', 'period', 's');

\echo '  Chi tiết năm 2024, mọi phiếu của tỉnh / drill-down, all forms of 2024 (KTC logit theo phiếu / logit CI, clustered by form)'
SELECT repeat('  ', b.level) || b.code AS "mã / code", b.name AS "tên / name", b.n AS "câu trả lời / answers",
       sipas.publish(b.index) AS "chỉ số / index", format('%s–%s', sipas.publish(b.lower, 1), sipas.publish(b.upper, 1)) AS "KTC 95 % / CI"
FROM (SELECT sipas.rollup(s) AS s FROM unit_year WHERE period = 2024) p, sipas.breakdown(p.s) b
WHERE b.level <= 2;

\echo '  KTC 95 %, ± điểm (* = có ý nghĩa thống kê / significant) và hạng có thể dùng sai số chuẩn theo phiếu'
\echo '  / CI, ± points (* = significant, z test) and plausible ranks use standard errors clustered by form.'
\echo '  Hạng có thể / plausible: the ranks a unit could hold (95 %, Bonferroni). ! = dưới 30 phiếu / fewer than 30 forms.'
\echo
\echo '  Sở, ban, ngành / provincial departments'
\set grp 'Sở, ban, ngành'
\ir ranked_group.sql
\echo '  UBND cấp huyện / districts'
\set grp 'UBND cấp huyện'
\ir ranked_group.sql

-- demo/run --html FILE: the same report as a standalone page (inline SVG)
\if :{?html}
\pset format unaligned
\pset tuples_only on
SELECT sipas.report_html('unit_year', 'nhom', 'name', 'period', 's', title => 'SIPAS 2024 — tỉnh giả định / demo province',
       min_respondents => 30) \g :html
\endif
