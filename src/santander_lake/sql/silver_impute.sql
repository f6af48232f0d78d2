-- Missing income takes the month's median income of the row's province and segment,
-- falling back to the segment's, then the whole month's. Medians use accepted rows only.
WITH accepted AS (
    SELECT month, province, segment, income
    FROM silver_staged
    WHERE _quarantine_reason IS NULL AND income IS NOT NULL
),

by_province_segment AS (
    SELECT month, province, segment, median(income) AS median_income
    FROM accepted
    GROUP BY month, province, segment
),

by_segment AS (
    SELECT month, segment, median(income) AS median_income
    FROM accepted
    GROUP BY month, segment
),

by_month AS (
    SELECT month, median(income) AS median_income
    FROM accepted
    GROUP BY month
),

filled AS (
    SELECT
        s.*,
        CASE
            WHEN s._quarantine_reason IS NULL AND s.income IS NULL
                THEN coalesce(ps.median_income, sg.median_income, m.median_income)
        END AS _income_fill
    FROM silver_staged AS s
    LEFT JOIN by_province_segment AS ps
        ON s.month = ps.month AND s.province <=> ps.province AND s.segment <=> ps.segment
    LEFT JOIN by_segment AS sg
        ON s.month = sg.month AND s.segment <=> sg.segment
    LEFT JOIN by_month AS m
        ON s.month = m.month
)

SELECT
    $output_columns,
    _invalid,
    _source_file,
    _source_line,
    _raw_line,
    _quarantine_reason,
    _quarantine_detail
FROM filled
