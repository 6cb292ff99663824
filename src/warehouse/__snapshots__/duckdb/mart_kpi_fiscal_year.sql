WITH
intake_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS intakes,
    SUM(CASE WHEN "age_class" = 'kitten' THEN 1 ELSE 0 END) AS intakes_kitten,
    SUM(CASE WHEN "age_class" = 'adult' THEN 1 ELSE 0 END) AS intakes_adult
  FROM "intakes" GROUP BY "municipality", "fiscal_year"
),
outcome_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS outcomes, SUM(CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 1 ELSE 0 END) AS live_outcomes,
    SUM(CASE WHEN "outcome_type" = 'adoption' THEN 1 ELSE 0 END) AS adoptions, SUM(CASE WHEN "outcome_type" = 'return_to_owner' THEN 1 ELSE 0 END) AS returns_to_owner,
    SUM(CASE WHEN "outcome_type" = 'transfer_out' THEN 1 ELSE 0 END) AS transfers_out, SUM(CASE WHEN "outcome_type" = 'return_to_field' THEN 1 ELSE 0 END) AS return_to_field,
    SUM(CASE WHEN "outcome_type" = 'euthanasia' THEN 1 ELSE 0 END) AS euthanasia, SUM(CASE WHEN "outcome_type" = 'died_in_care' THEN 1 ELSE 0 END) AS died_in_care
  FROM "outcomes" GROUP BY "municipality", "fiscal_year"
),
stays AS (
  SELECT "municipality", "fiscal_year", "outcome_at", "days_in_shelter" AS stay_days
  FROM "outcomes" WHERE "days_in_shelter" IS NOT NULL
  UNION ALL
  SELECT o."municipality", o."fiscal_year", o."outcome_at",
    date_diff('day', CAST(MAX(i."intake_at") AS DATE), CAST(o."outcome_at" AS DATE))
  FROM "outcomes" AS o LEFT JOIN "intakes" AS i
    ON i."municipality" = o."municipality" AND i."animal_id" = o."animal_id"
    AND i."intake_at" <= o."outcome_at"
  WHERE o."days_in_shelter" IS NULL
  GROUP BY o."municipality", o."fiscal_year", o."outcome_at", o."animal_id",
    o."source_job", o."source_row"
),
stay_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", median(stay_days) AS median_stay_days, COUNT(*) AS stays_measured
  FROM stays WHERE stay_days >= 0 GROUP BY "municipality", "fiscal_year"
),
tnr_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", SUM("count") AS tnr_operations, SUM("subsidy_amount") AS tnr_subsidy
  FROM "tnr" GROUP BY "municipality", "fiscal_year"
),
complaint_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS complaints
  FROM "complaints" GROUP BY "municipality", "fiscal_year"
),
keys AS (
  SELECT "municipality", "fiscal_year" FROM intake_agg
  UNION SELECT "municipality", "fiscal_year" FROM outcome_agg
  UNION SELECT "municipality", "fiscal_year" FROM tnr_agg
  UNION SELECT "municipality", "fiscal_year" FROM complaint_agg
)
SELECT k."municipality", k."fiscal_year",
  CAST(COALESCE(i.intakes, 0) AS INTEGER) AS intakes, CAST(COALESCE(i.intakes_kitten, 0) AS INTEGER) AS intakes_kitten, CAST(COALESCE(i.intakes_adult, 0) AS INTEGER) AS intakes_adult,
  CAST(COALESCE(o.outcomes, 0) AS INTEGER) AS outcomes, CAST(COALESCE(o.live_outcomes, 0) AS INTEGER) AS live_outcomes, CAST(COALESCE(o.adoptions, 0) AS INTEGER) AS adoptions,
  CAST(COALESCE(o.returns_to_owner, 0) AS INTEGER) AS returns_to_owner, CAST(COALESCE(o.transfers_out, 0) AS INTEGER) AS transfers_out,
  CAST(COALESCE(o.return_to_field, 0) AS INTEGER) AS return_to_field, CAST(COALESCE(o.euthanasia, 0) AS INTEGER) AS euthanasia,
  CAST(COALESCE(o.died_in_care, 0) AS INTEGER) AS died_in_care,
  CAST(o.live_outcomes AS DOUBLE) / NULLIF(o.outcomes, 0) AS live_release_rate,
  CAST(o.euthanasia AS DOUBLE) / NULLIF(o.outcomes, 0) AS euthanasia_rate,
  CAST(s.median_stay_days AS DOUBLE) AS median_stay_days, CAST(COALESCE(s.stays_measured, 0) AS INTEGER) AS stays_measured,
  CAST(COALESCE(t.tnr_operations, 0) AS INTEGER) AS tnr_operations, CAST(t.tnr_subsidy AS DOUBLE) AS tnr_subsidy,
  CAST(COALESCE(m.complaints, 0) AS INTEGER) AS complaints
FROM keys AS k
  LEFT JOIN intake_agg AS i ON i."municipality" = k."municipality" AND i."fiscal_year" = k."fiscal_year"
  LEFT JOIN outcome_agg AS o ON o."municipality" = k."municipality" AND o."fiscal_year" = k."fiscal_year"
  LEFT JOIN stay_agg AS s ON s."municipality" = k."municipality" AND s."fiscal_year" = k."fiscal_year"
  LEFT JOIN tnr_agg AS t ON t."municipality" = k."municipality" AND t."fiscal_year" = k."fiscal_year"
  LEFT JOIN complaint_agg AS m ON m."municipality" = k."municipality" AND m."fiscal_year" = k."fiscal_year"
ORDER BY k."municipality", k."fiscal_year"
