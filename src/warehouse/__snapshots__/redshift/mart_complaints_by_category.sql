SELECT "municipality", 'month' AS "period_type", to_char("received_on", 'YYYY-MM') AS "period", "fiscal_year", "category" AS "category", CAST(COUNT(*) AS INTEGER) AS "complaints"
FROM "lake"."complaints" GROUP BY "municipality", "fiscal_year", to_char("received_on", 'YYYY-MM'), "category"
UNION ALL
SELECT "municipality", 'fiscal_year', CAST("fiscal_year" AS VARCHAR(1024)), "fiscal_year", "category" AS "category", CAST(COUNT(*) AS INTEGER) AS "complaints"
FROM "lake"."complaints" GROUP BY "municipality", "fiscal_year", "category"
ORDER BY 1, 2, 3, 4, 5
