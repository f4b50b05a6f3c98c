-- Dutch working days as a calendar table, so response-time figures are grouped by PostgreSQL instead
-- of pulling every signal into the service. The rule is Core's DutchCalendar (Algemene termijnenwet,
-- article 3): Monday to Friday, less Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, tweede
-- Pinksterdag, Koningsdag (27 April, 26 April when the 27th is a Sunday), 5 mei, eerste en tweede
-- Kerstdag; Easter by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). A test compares this
-- table with DutchCalendar for every day it holds.
--
-- `ordinal` counts the working days from 1990-01-01 up to and including `day`, so the working days
-- after A up to and including B are ordinal(B) - ordinal(A), the arithmetic of
-- DutchCalendar.workingDays(from:to:). Days outside 1990-2100 are not in the table.

CREATE FUNCTION dutch_easter_sunday(y integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (
        SELECT make_date(y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1)
        FROM (SELECT h, l, (a + 11 * h + 22 * l) / 451 AS m
              FROM (SELECT a, h, (32 + 2 * e + 2 * (c / 4) - h - c % 4) % 7 AS l
                    FROM (SELECT a, c, e, (19 * a + b - b / 4 - (b - (b + 8) / 25 + 1) / 3 + 15) % 30 AS h
                          FROM (SELECT y % 19 AS a, y / 100 AS b, y % 100 AS c, (y / 100) % 4 AS e) v) w) x) z);

CREATE TABLE dutch_working_days (
    day date PRIMARY KEY,
    working boolean NOT NULL,
    ordinal integer NOT NULL
);

WITH holidays AS (
    SELECT h FROM generate_series(1990, 2100) AS y,
         LATERAL (VALUES (make_date(y, 1, 1)),
                         (dutch_easter_sunday(y) + 1),
                         (dutch_easter_sunday(y) + 39),
                         (dutch_easter_sunday(y) + 50),
                         (CASE WHEN extract(isodow FROM make_date(y, 4, 27)) = 7 THEN make_date(y, 4, 26) ELSE make_date(y, 4, 27) END),
                         (make_date(y, 5, 5)),
                         (make_date(y, 12, 25)),
                         (make_date(y, 12, 26))) AS d(h)
), days AS (
    SELECT d::date AS day,
           extract(isodow FROM d) <= 5 AND d::date NOT IN (SELECT h FROM holidays) AS working
    FROM generate_series(DATE '1990-01-01', DATE '2100-12-31', interval '1 day') AS d
)
INSERT INTO dutch_working_days (day, working, ordinal)
SELECT day, working, sum(working::integer) OVER (ORDER BY day) FROM days;

-- Working days after `from_day` up to and including `to_day`; 0 when `to_day <= from_day`; NULL
-- outside the table.
CREATE FUNCTION dutch_working_days_between(from_day date, to_day date) RETURNS integer
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT greatest(0, b.ordinal - a.ordinal) FROM dutch_working_days a, dutch_working_days b
            WHERE a.day = from_day AND b.day = to_day);
