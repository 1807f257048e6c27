-- The queries docs/STORE.md shows, each timed by bench/queries.py on a store of 5 million cells and
-- checked for index use by the tests. A name line starts each query.

-- name: current figures of one country
SELECT indicator, series, iccs, year, breakdown, value, status FROM current_observation
WHERE reporter = 'KEN' ORDER BY indicator, series, iccs, year, breakdown;

-- name: one series across all countries
SELECT reporter, year, value, status FROM current_observation
WHERE series = 'police_offences.robbery' AND breakdown = '' ORDER BY reporter, year;

-- name: one ICCS category in one year, every country's total
SELECT reporter, series, value, status FROM current_observation
WHERE iccs = '0401' AND breakdown = '' AND year = 2019 ORDER BY reporter, series;

-- name: one cell's history
SELECT raw_value, status, note, action, valid_from, valid_to, submission_id, line FROM cell
WHERE reporter = 'KEN' AND table_id = 'police_offences' AND variable = 'robbery' AND breakdown = '' AND year = 2019
ORDER BY valid_from, id;

-- name: every vintage of one country and year
SELECT table_id, variable, breakdown, raw_value, status, valid_from, valid_to FROM cell
WHERE reporter = 'KEN' AND year = 2019 ORDER BY table_id, variable, breakdown, valid_from;

-- name: one country's figures as they stood at a date
SELECT indicator, series, iccs, year, breakdown, value, status FROM observation_detail
WHERE reporter = 'KEN' AND valid_from <= '2026-06-30T23:59:59Z'
    AND (valid_to IS NULL OR valid_to > '2026-06-30T23:59:59Z')
ORDER BY indicator, series, iccs, year, breakdown;

-- name: everything one submission stored
SELECT reporter, year, table_id, variable, breakdown, raw_value, status, note, line FROM cell
WHERE submission_id = 5 ORDER BY line;

-- name: what one submission replaced or withdrew
SELECT reporter, year, table_id, variable, breakdown, raw_value, status, valid_from FROM cell
WHERE id IN (SELECT id FROM cell_vintage WHERE ended_by = 5) ORDER BY reporter, year, table_id, variable;

-- name: the findings of one submission
SELECT rule, severity, line, field, message FROM finding WHERE submission_id = 5 ORDER BY line, field;

-- name: national categories of one country and what they became
SELECT c.year, m.national_code, m.national_label, m.outcome, m.iccs, m.share, m.value
FROM national_mapping m JOIN cell_vintage c ON c.id = m.cell_id
WHERE c.reporter = 'KEN' AND c.ended_by IS NULL ORDER BY c.year, m.national_code, m.iccs;
