-- Demo data: a fictional province's SIPAS survey of its 21 provincial
-- departments and 9 districts, 2023 and 2024, on the 39 satisfaction items
-- (policy part I and service part II) of the 2023-2026 questionnaire
-- (decision 1001/QD-BNV).  Generated with a fixed seed, so every run prints
-- the same report.  The figures are invented; the agency names are the
-- usual names of Vietnamese provincial departments and fictional district
-- names.  demo.answers holds the long rows (one per respondent and item),
-- demo.forms one sipas.form per respondent, built from them.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sipas;
DROP SCHEMA IF EXISTS demo CASCADE;
CREATE SCHEMA demo;

CREATE TABLE demo.unit (
	code		text PRIMARY KEY,
	name		text NOT NULL,
	grp			text NOT NULL CHECK (grp IN ('department', 'district')),
	quality		float8 NOT NULL,	-- latent share of satisfied answers, 2023
	trend		float8 NOT NULL,	-- change of that share into 2024
	size		int NOT NULL		-- respondents per year
);
INSERT INTO demo.unit VALUES
 ('STP',   'Sở Tư pháp',                                'department', 0.93,  0.012, 260),
 ('STC',   'Sở Tài chính',                              'department', 0.89,  0.015, 240),
 ('SKHDT', 'Sở Kế hoạch và Đầu tư',                     'department', 0.90, -0.004, 310),
 ('SCT',   'Sở Công Thương',                            'department', 0.86,  0.020, 280),
 ('SXD',   'Sở Xây dựng',                               'department', 0.82,  0.030, 300),
 ('SGTVT', 'Sở Giao thông vận tải',                     'department', 0.84,  0.010, 350),
 ('STNMT', 'Sở Tài nguyên và Môi trường',               'department', 0.78,  0.035, 380),
 ('SNN',   'Sở Nông nghiệp và Phát triển nông thôn',    'department', 0.88,  0.000, 220),
 ('SLDTBXH','Sở Lao động - Thương binh và Xã hội',      'department', 0.91,  0.008, 330),
 ('SGDDT', 'Sở Giáo dục và Đào tạo',                    'department', 0.92, -0.010, 270),
 ('SYT',   'Sở Y tế',                                   'department', 0.85,  0.018, 360),
 ('SVHTTDL','Sở Văn hóa, Thể thao và Du lịch',          'department', 0.90,  0.006, 200),
 ('STTTT', 'Sở Thông tin và Truyền thông',              'department', 0.94,  0.004, 180),
 ('SKHCN', 'Sở Khoa học và Công nghệ',                  'department', 0.92,  0.010, 160),
 ('SNV',   'Sở Nội vụ',                                 'department', 0.95, -0.002, 190),
 ('BQLKCN','Ban Quản lý các khu công nghiệp',           'department', 0.87,  0.025, 170),
 ('SNGV',  'Sở Ngoại vụ',                               'department', 0.96, -0.015, 150),
 ('TTT',   'Thanh tra tỉnh',                            'department', 0.83,  0.022, 150),
 ('SDL',   'Sở Du lịch',                                'department', 0.89,  0.012, 175),
 ('VPUB',  'Văn phòng Ủy ban nhân dân tỉnh',            'department', 0.93,  0.009, 210),
 ('TTPVHCC','Trung tâm Phục vụ hành chính công',       'department', 0.95,  0.010,  15),
 ('TPBA',  'Thành phố Bình An',                         'district',   0.86,  0.020, 420),
 ('TXPL',  'Thị xã Phú Lâm',                            'district',   0.84,  0.015, 360),
 ('HST',   'Huyện Sơn Thủy',                            'district',   0.80,  0.030, 300),
 ('HDH',   'Huyện Đông Hải',                            'district',   0.88, -0.012, 280),
 ('HTL',   'Huyện Tân Lộc',                             'district',   0.82,  0.010, 260),
 ('HNM',   'Huyện Ngọc Minh',                           'district',   0.90,  0.005, 250),
 ('HTN',   'Huyện Thạch Nguyên',                        'district',   0.79,  0.040, 240),
 ('HVX',   'Huyện Vĩnh Xuân',                           'district',   0.85,  0.000, 230),
 ('HKS',   'Huyện Kỳ Sơn',                              'district',   0.81,  0.018, 220);

-- Items: all 39 satisfaction items of the 2023 questionnaire (policy part
-- I and service part II), from the catalogue that ships with sipas.  Each
-- item gets a fixed difficulty so that some criteria score lower everywhere
-- (feedback handling, policy results), as in published reports.
CREATE TABLE demo.item AS
SELECT code, parent AS grp,
       CASE WHEN code LIKE 'II.E.%' THEN 0.06 WHEN code LIKE 'I.D.%' THEN 0.05
            WHEN code LIKE 'I.B.%' THEN 0.04 WHEN code LIKE 'II.B.4' THEN 0.04
            ELSE 0.01 * (abs(hashtext(code)) % 4) END AS difficulty
FROM sipas.node WHERE questionnaire = '2023' AND kind = 'item';

-- One row per respondent and item.  A respondent has a personal mood, so
-- answers of one form are correlated, as in real surveys; about 1 % of
-- answers are blank (NULL).  weight: respondents who are organisations
-- count twice in the weighted figures (a post-stratification example).
SELECT setseed(0.2024) AS seed \gset
CREATE TABLE demo.answers AS
WITH resp AS (
	SELECT u.code AS unit, p.period, r AS respondent,
		   u.quality + (p.period - 2023) * u.trend AS q,
		   (random() - 0.5) * 0.10 AS mood,
		   CASE WHEN random() < 0.2 THEN 2.0 ELSE 1.0 END AS weight
	FROM demo.unit u, (VALUES (2023), (2024)) p(period),
		 LATERAL generate_series(1, u.size + (p.period - 2023) * 10) r
)
SELECT period, unit, respondent, i.code AS item,
	   CASE WHEN random() < 0.01 THEN NULL
			WHEN random() < q - i.difficulty + mood THEN (CASE WHEN random() < 0.45 THEN 5 ELSE 4 END)
			ELSE (CASE WHEN random() < 0.7 THEN 3 WHEN random() < 0.7 THEN 2 ELSE 1 END)
	   END::smallint AS score,
	   weight
FROM resp, demo.item i;
CREATE INDEX ON demo.answers (period, unit);
ANALYZE demo.answers;

-- One form per respondent: the 39 answers of one questionnaire (blanks kept as
-- blanks).  Summaries built from forms know their respondents and give the
-- index's standard error clustered by respondent (demo/report.sql).
CREATE TABLE demo.forms AS
SELECT period, unit, respondent, weight, sipas.form_agg(item, score) AS f
FROM demo.answers GROUP BY period, unit, respondent, weight;
CREATE INDEX ON demo.forms (period, unit);
ANALYZE demo.forms;
