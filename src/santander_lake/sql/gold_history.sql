-- Each silver row with its own product vector and the vectors of the months before it.
-- lag L is the vector of month M-L, null when the customer was absent that month.
WITH indexed AS (
    SELECT
        *,
        year(month) * 12 + month(month) AS _idx,
        array($products) AS _owned
    FROM silver_window
),

remembered AS (
    SELECT
        *,
        map_from_entries(collect_list(struct(_idx, _owned)) OVER (
            PARTITION BY customer_id
            ORDER BY _idx
            RANGE BETWEEN $max_lag PRECEDING AND 1 PRECEDING
        )) AS _past
    FROM indexed
)

SELECT
    *,
    $lag_vectors
FROM remembered
