SELECT "municipality", 'month' AS "period_type", strftime("intake_at", '%Y-%m') AS "period", "fiscal_year", "intake_type" AS "intake_type", "age_class" AS "age_class", CAST(COUNT(*) AS INTEGER) AS "intakes"
FROM "intakes" GROUP BY "municipality", "fiscal_year", strftime("intake_at", '%Y-%m'), "intake_type", "age_class"
UNION ALL
SELECT "municipality", 'fiscal_year', CAST("fiscal_year" AS VARCHAR), "fiscal_year", "intake_type" AS "intake_type", "age_class" AS "age_class", CAST(COUNT(*) AS INTEGER) AS "intakes"
FROM "intakes" GROUP BY "municipality", "fiscal_year", "intake_type", "age_class"
ORDER BY 1, 2, 3, 4, 5, 6
