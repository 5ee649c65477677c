-- (a) one answer: random agency A01..A50, random item of questionnaire 2023,
-- score 1..5 or NULL (no answer; about 60 % satisfied), a day of the current year
-- up to today.  loadtest.items numbers the 39 item codes of sipas.node 1..39.
\set ag random(1, 50)
\set it random(1, 39)
\set sc random(1, 10)
\set d random(0, 365)
INSERT INTO public.answers (agency, item, score, answered_on)
VALUES ('A' || lpad(:ag::text, 2, '0'),
        (SELECT i.code FROM loadtest.items i WHERE i.i = :it::int),
        ('{NULL,1,2,3,3,4,4,4,5,5}'::smallint[])[:sc::int],
        date_trunc('year', current_date)::date + :d::int % EXTRACT(doy FROM current_date)::int);
