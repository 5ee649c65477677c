-- tests/browser: a small made-up province for the HTML report, with what a chart
-- must show: Vietnamese names (diacritics, a name with <, & and quotes), two units
-- tied highest on the published decimals only, two tied lowest, a unit new this
-- year, a unit with too few respondents, a unit without answers, a one-unit group,
-- three years for the trend.
SET client_min_messages = warning;
DROP TABLE IF EXISTS browser_unit_year;
CREATE TABLE browser_unit_year (nhom text, unit text, year int, s sipas.likert, forms int);
INSERT INTO browser_unit_year
SELECT v.nhom, v.unit, v.year, sipas.likert_from_counts(ARRAY[0, 0, v.n - v.sat, v.sat / 2, v.sat - v.sat / 2]::bigint[]),
       v.n
FROM (VALUES
 ('Sở, ban, ngành', 'Sở Ngoại vụ',                       2022, 240, 231),
 ('Sở, ban, ngành', 'Sở Ngoại vụ',                       2023, 250, 244),
 ('Sở, ban, ngành', 'Sở Ngoại vụ',                       2024, 250, 246),
 ('Sở, ban, ngành', 'Sở Nội vụ',                         2022, 240, 226),
 ('Sở, ban, ngành', 'Sở Nội vụ',                         2023, 250, 241),
 ('Sở, ban, ngành', 'Sở Nội vụ',                         2024, 2500, 2460),   -- 98.40: tied with Sở Ngoại vụ
 ('Sở, ban, ngành', 'Sở Tư pháp',                        2022, 240, 209),
 ('Sở, ban, ngành', 'Sở Tư pháp',                        2023, 250, 218),
 ('Sở, ban, ngành', 'Sở Tư pháp',                        2024, 1000, 883),
 ('Sở, ban, ngành', 'Ban Quản lý các khu công nghiệp',   2022, 200, 171),
 ('Sở, ban, ngành', 'Ban Quản lý các khu công nghiệp',   2023, 200, 175),
 ('Sở, ban, ngành', 'Ban Quản lý các khu công nghiệp',   2024, 470, 415),     -- 88.2979: 88.30 as published
 ('Sở, ban, ngành', 'Sở Văn hóa, Thể thao & "Du lịch" <mới>', 2024, 300, 276), -- new this year
 ('Sở, ban, ngành', 'Trung tâm Phục vụ hành chính công', 2023, 18, 17),
 ('Sở, ban, ngành', 'Trung tâm Phục vụ hành chính công', 2024, 22, 21),       -- too few respondents
 ('UBND cấp huyện', 'Huyện Ngọc Minh',                   2022, 250, 240),
 ('UBND cấp huyện', 'Huyện Ngọc Minh',                   2023, 250, 243),
 ('UBND cấp huyện', 'Huyện Ngọc Minh',                   2024, 250, 244),
 ('UBND cấp huyện', 'Huyện Đông Hải',                    2022, 250, 236),
 ('UBND cấp huyện', 'Huyện Đông Hải',                    2023, 250, 240),
 ('UBND cấp huyện', 'Huyện Đông Hải',                    2024, 250, 242),
 ('UBND cấp huyện', 'Huyện Sơn Thủy',                    2022, 250, 231),
 ('UBND cấp huyện', 'Huyện Sơn Thủy',                    2023, 250, 235),
 ('UBND cấp huyện', 'Huyện Sơn Thủy',                    2024, 2500, 2392),
 ('UBND cấp huyện', 'Thị xã Phú Lâm',                    2023, 250, 229),
 ('UBND cấp huyện', 'Thị xã Phú Lâm',                    2024, 250, 0),       -- nobody satisfied: 0,00
 ('Khối Đảng, đoàn thể', 'Ban Dân vận Tỉnh ủy',          2023, 120, 110),
 ('Khối Đảng, đoàn thể', 'Ban Dân vận Tỉnh ủy',          2024, 120, 113)
) v(nhom, unit, year, n, sat);
-- a unit without answers this year: listed, unranked
INSERT INTO browser_unit_year VALUES ('UBND cấp huyện', 'Huyện Kỳ Sơn', 2024, NULL, 0);
