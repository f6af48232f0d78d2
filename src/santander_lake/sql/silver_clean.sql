-- Bronze rows of the chosen months -> cleaned, typed rows, each with its quarantine
-- reason (null when it enters silver) and the reasons its values were nulled.
-- Placeholders (dollar names) are filled from santander_lake.translate.COLUMNS.
WITH trimmed AS (
    SELECT
        *,
        $trimmed_columns
    FROM bronze_rows
),

cleaned AS (
    SELECT
        _month AS month,
        $typed_columns,
        filter(array($invalid_reasons), r -> r IS NOT NULL) AS _invalid,
        t_ncodpers AS _raw_customer_id,
        _source_file,
        _source_line,
        coalesce(_raw_line, concat_ws(',', $raw_fields)) AS _raw_line,
        _parse_error
    FROM trimmed
),

ranked AS (
    SELECT
        *,
        row_number() OVER by_key AS _rank,
        first_value(_source_line) OVER by_key AS _first_line
    FROM cleaned
    WINDOW by_key AS (PARTITION BY month, customer_id ORDER BY _source_file, _source_line)
)

SELECT
    * EXCEPT (_rank, _first_line, _raw_customer_id),
    CASE
        WHEN _parse_error IS NOT NULL THEN 'parse_error'
        WHEN _raw_customer_id IS NULL THEN 'missing_customer_id'
        WHEN customer_id IS NULL THEN 'invalid_customer_id'
        WHEN _rank > 1 THEN 'duplicate_customer_month'
    END AS _quarantine_reason,
    CASE
        WHEN _parse_error IS NOT NULL THEN _parse_error
        WHEN _raw_customer_id IS NULL THEN NULL
        WHEN customer_id IS NULL THEN concat('ncodpers=', _raw_customer_id)
        WHEN _rank > 1 THEN concat('first kept at line ', _first_line)
    END AS _quarantine_detail
FROM ranked
