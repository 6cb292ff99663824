SELECT "municipality", 'month' AS "period_type", strftime("received_on", '%Y-%m') AS "period", "fiscal_year", "category" AS "category", CAST(COUNT(*) AS INTEGER) AS "complaints"
FROM "complaints" GROUP BY "municipality", "fiscal_year", strftime("received_on", '%Y-%m'), "category"
UNION ALL
SELECT "municipality", 'fiscal_year', CAST("fiscal_year" AS VARCHAR), "fiscal_year", "category" AS "category", CAST(COUNT(*) AS INTEGER) AS "complaints"
FROM "complaints" GROUP BY "municipality", "fiscal_year", "category"
ORDER BY 1, 2, 3, 4, 5
