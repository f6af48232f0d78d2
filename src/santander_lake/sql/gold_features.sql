-- One feature row per silver row: attributes of month M, ownership history before M.
WITH per_product AS (
    SELECT
        month,
        customer_id,
        $attributes,
        size(_past) AS months_present_last${max_lag}m,
        _lag1,
        $product_features
    FROM gold_history
)

SELECT
    month,
    customer_id,
    $attribute_names,
    $aggregates,
    months_present_last${max_lag}m,
    $product_feature_names
FROM per_product
