SELECT "municipality", 'month' AS "period_type", to_char("intake_at", 'YYYY-MM') AS "period", "fiscal_year", "intake_type" AS "intake_type", "age_class" AS "age_class", CAST(COUNT(*) AS INTEGER) AS "intakes"
FROM "lake"."intakes" GROUP BY "municipality", "fiscal_year", to_char("intake_at", 'YYYY-MM'), "intake_type", "age_class"
UNION ALL
SELECT "municipality", 'fiscal_year', CAST("fiscal_year" AS TEXT), "fiscal_year", "intake_type" AS "intake_type", "age_class" AS "age_class", CAST(COUNT(*) AS INTEGER) AS "intakes"
FROM "lake"."intakes" GROUP BY "municipality", "fiscal_year", "intake_type", "age_class"
ORDER BY 1, 2, 3, 4, 5, 6
