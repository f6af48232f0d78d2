-- One row per product a customer added in month M: owned in M, not owned in M-1.
WITH changes AS (
    SELECT
        month,
        customer_id,
        stack($product_count, $product_additions) AS (product, product_code, added)
    FROM gold_history
)

SELECT month, customer_id, product, product_code
FROM changes
WHERE added
