SELECT "municipality", 'month' AS "period_type", strftime("outcome_at", '%Y-%m') AS "period", "fiscal_year", "outcome_type" AS "outcome_type", CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 'live' ELSE 'other' END AS "outcome_group", CAST(COUNT(*) AS INTEGER) AS "outcomes"
FROM "outcomes" GROUP BY "municipality", "fiscal_year", strftime("outcome_at", '%Y-%m'), "outcome_type", CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 'live' ELSE 'other' END
UNION ALL
SELECT "municipality", 'fiscal_year', CAST("fiscal_year" AS VARCHAR), "fiscal_year", "outcome_type" AS "outcome_type", CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 'live' ELSE 'other' END AS "outcome_group", CAST(COUNT(*) AS INTEGER) AS "outcomes"
FROM "outcomes" GROUP BY "municipality", "fiscal_year", "outcome_type", CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 'live' ELSE 'other' END
ORDER BY 1, 2, 3, 4, 5, 6
