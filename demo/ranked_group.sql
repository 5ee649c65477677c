-- One ranked table of demo/report.sql: the units of group :'grp' in 2024.
SELECT r.rank AS "#", r.unit AS "Đơn vị / unit", r.published AS "SIPAS",
       format('%s–%s', sipas.publish(r.lower, 1), sipas.publish(r.upper, 1)) AS "KTC 95 % / CI",
       r.respondents || CASE WHEN r.too_few_respondents THEN ' !' ELSE '' END AS "phiếu / forms",
       to_char(r.points_change, 'FMSG990.00') || CASE WHEN r.change_significant THEN ' *' ELSE '' END AS "± điểm / points",
       CASE WHEN r.is_new THEN 'mới / new' WHEN r.rank_move = 0 THEN '=' ELSE to_char(r.rank_move, 'FMSG99') END AS "± hạng / rank",
       r.plausible_best || CASE WHEN r.plausible_worst > r.plausible_best THEN '–' || r.plausible_worst ELSE '' END AS "hạng có thể / plausible",
       concat_ws('; ', CASE WHEN r.is_highest THEN 'cao nhất / highest' END, CASE WHEN r.is_lowest THEN 'thấp nhất / lowest' END,
                 CASE WHEN r.first_streak >= 2 THEN format('đầu %s năm liền / first %s years running', r.first_streak, r.first_streak) END,
                 CASE WHEN r.last_streak >= 2 THEN format('cuối %s năm liền / last %s years running', r.last_streak, r.last_streak) END) AS "ghi chú / note"
FROM ranked r
WHERE r.period = 2024 AND r.ranking_group = :'grp'
ORDER BY r.rank, r.unit;
