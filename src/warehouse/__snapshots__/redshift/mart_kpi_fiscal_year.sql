WITH
intake_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS intakes,
    SUM(CASE WHEN "age_class" = 'kitten' THEN 1 ELSE 0 END) AS intakes_kitten,
    SUM(CASE WHEN "age_class" = 'adult' THEN 1 ELSE 0 END) AS intakes_adult
  FROM "lake"."intakes" GROUP BY "municipality", "fiscal_year"
),
outcome_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS outcomes, SUM(CASE WHEN "outcome_type" IN ('adoption', 'return_to_owner', 'transfer_out', 'return_to_field') THEN 1 ELSE 0 END) AS live_outcomes,
    SUM(CASE WHEN "outcome_type" = 'adoption' THEN 1 ELSE 0 END) AS adoptions, SUM(CASE WHEN "outcome_type" = 'return_to_owner' THEN 1 ELSE 0 END) AS returns_to_owner,
    SUM(CASE WHEN "outcome_type" = 'transfer_out' THEN 1 ELSE 0 END) AS transfers_out, SUM(CASE WHEN "outcome_type" = 'return_to_field' THEN 1 ELSE 0 END) AS return_to_field,
    SUM(CASE WHEN "outcome_type" = 'euthanasia' THEN 1 ELSE 0 END) AS euthanasia, SUM(CASE WHEN "outcome_type" = 'died_in_care' THEN 1 ELSE 0 END) AS died_in_care
  FROM "lake"."outcomes" GROUP BY "municipality", "fiscal_year"
),
stays AS (
  SELECT "municipality", "fiscal_year", "outcome_at", "days_in_shelter" AS stay_days
  FROM "lake"."outcomes" WHERE "days_in_shelter" IS NOT NULL
  UNION ALL
  SELECT o."municipality", o."fiscal_year", o."outcome_at",
    DATEDIFF(day, CAST(MAX(i."intake_at") AS DATE), CAST(o."outcome_at" AS DATE))
  FROM "lake"."outcomes" AS o LEFT JOIN "lake"."intakes" AS i
    ON i."municipality" = o."municipality" AND i."animal_id" = o."animal_id"
    AND i."intake_at" <= o."outcome_at"
  WHERE o."days_in_shelter" IS NULL
  GROUP BY o."municipality", o."fiscal_year", o."outcome_at", o."animal_id",
    o."source_job", o."source_row"
),
stay_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", MEDIAN(stay_days) AS median_stay_days, COUNT(*) AS stays_measured
  FROM stays WHERE stay_days >= 0 GROUP BY "municipality", "fiscal_year"
),
tnr_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", SUM("count") AS tnr_operations, SUM("subsidy_amount") AS tnr_subsidy
  FROM "lake"."tnr" GROUP BY "municipality", "fiscal_year"
),
complaint_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", COUNT(*) AS complaints
  FROM "lake"."complaints" GROUP BY "municipality", "fiscal_year"
),
yearly_agg AS (
  SELECT "municipality" AS "municipality", "fiscal_year" AS "fiscal_year", SUM(CASE WHEN "metric" IN ('intakes') THEN "value" END) AS intakes,
    SUM(CASE WHEN "metric" IN ('adoptions', 'returns_to_owner', 'transfers_out', 'return_to_field', 'euthanasia', 'died_in_care') THEN "value" END) AS outcomes,
    SUM(CASE WHEN "metric" IN ('adoptions', 'returns_to_owner', 'transfers_out', 'return_to_field') THEN "value" END) AS live_outcomes,
    SUM(CASE WHEN "metric" IN ('adoptions') THEN "value" END) AS adoptions, SUM(CASE WHEN "metric" IN ('returns_to_owner') THEN "value" END) AS returns_to_owner, SUM(CASE WHEN "metric" IN ('transfers_out') THEN "value" END) AS transfers_out, SUM(CASE WHEN "metric" IN ('return_to_field') THEN "value" END) AS return_to_field, SUM(CASE WHEN "metric" IN ('euthanasia') THEN "value" END) AS euthanasia, SUM(CASE WHEN "metric" IN ('died_in_care') THEN "value" END) AS died_in_care,
    SUM(CASE WHEN "metric" IN ('tnr_operations') THEN "value" END) AS tnr_operations, SUM(CASE WHEN "metric" IN ('complaints') THEN "value" END) AS complaints
  FROM "lake"."aggregates"
  WHERE "species" = 'cat' AND "metric" IN ('intakes', 'adoptions', 'returns_to_owner', 'transfers_out', 'return_to_field', 'euthanasia', 'died_in_care', 'tnr_operations', 'complaints')
  GROUP BY "municipality", "fiscal_year"
),
keys AS (
  SELECT "municipality", "fiscal_year" FROM intake_agg
  UNION SELECT "municipality", "fiscal_year" FROM outcome_agg
  UNION SELECT "municipality", "fiscal_year" FROM tnr_agg
  UNION SELECT "municipality", "fiscal_year" FROM complaint_agg
  UNION SELECT "municipality", "fiscal_year" FROM yearly_agg
)
SELECT k."municipality", k."fiscal_year",
  CAST(COALESCE(CASE WHEN i."municipality" IS NOT NULL THEN i.intakes ELSE y.intakes END, 0) AS INTEGER) AS intakes, CAST(COALESCE(i.intakes_kitten, 0) AS INTEGER) AS intakes_kitten, CAST(COALESCE(i.intakes_adult, 0) AS INTEGER) AS intakes_adult,
  CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.outcomes ELSE y.outcomes END, 0) AS INTEGER) AS outcomes, CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.live_outcomes ELSE y.live_outcomes END, 0) AS INTEGER) AS live_outcomes, CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.adoptions ELSE y.adoptions END, 0) AS INTEGER) AS adoptions,
  CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.returns_to_owner ELSE y.returns_to_owner END, 0) AS INTEGER) AS returns_to_owner, CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.transfers_out ELSE y.transfers_out END, 0) AS INTEGER) AS transfers_out,
  CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.return_to_field ELSE y.return_to_field END, 0) AS INTEGER) AS return_to_field, CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.euthanasia ELSE y.euthanasia END, 0) AS INTEGER) AS euthanasia,
  CAST(COALESCE(CASE WHEN o."municipality" IS NOT NULL THEN o.died_in_care ELSE y.died_in_care END, 0) AS INTEGER) AS died_in_care,
  CAST(CASE WHEN o."municipality" IS NOT NULL THEN o.live_outcomes ELSE y.live_outcomes END AS DOUBLE PRECISION) / NULLIF(CASE WHEN o."municipality" IS NOT NULL THEN o.outcomes ELSE y.outcomes END, 0) AS live_release_rate,
  CAST(CASE WHEN o."municipality" IS NOT NULL THEN o.euthanasia ELSE y.euthanasia END AS DOUBLE PRECISION) / NULLIF(CASE WHEN o."municipality" IS NOT NULL THEN o.outcomes ELSE y.outcomes END, 0) AS euthanasia_rate,
  CAST(s.median_stay_days AS DOUBLE PRECISION) AS median_stay_days, CAST(COALESCE(s.stays_measured, 0) AS INTEGER) AS stays_measured,
  CAST(COALESCE(CASE WHEN t."municipality" IS NOT NULL THEN t.tnr_operations ELSE y.tnr_operations END, 0) AS INTEGER) AS tnr_operations, CAST(t.tnr_subsidy AS DOUBLE PRECISION) AS tnr_subsidy,
  CAST(COALESCE(CASE WHEN m."municipality" IS NOT NULL THEN m.complaints ELSE y.complaints END, 0) AS INTEGER) AS complaints,
  CASE WHEN y."municipality" IS NULL THEN 'records'
    WHEN NOT (i."municipality" IS NOT NULL OR o."municipality" IS NOT NULL OR t."municipality" IS NOT NULL OR m."municipality" IS NOT NULL) THEN 'aggregates'
    WHEN NOT ((i."municipality" IS NULL AND y.intakes IS NOT NULL) OR (o."municipality" IS NULL AND y.outcomes IS NOT NULL) OR (t."municipality" IS NULL AND y.tnr_operations IS NOT NULL) OR (m."municipality" IS NULL AND y.complaints IS NOT NULL)) THEN 'both→records'
    ELSE 'mixed' END AS basis,
  RTRIM(CASE WHEN i."municipality" IS NULL AND y.intakes IS NOT NULL THEN 'intakes ' ELSE '' END || CASE WHEN o."municipality" IS NULL AND y.outcomes IS NOT NULL THEN 'outcomes ' ELSE '' END || CASE WHEN t."municipality" IS NULL AND y.tnr_operations IS NOT NULL THEN 'tnr ' ELSE '' END || CASE WHEN m."municipality" IS NULL AND y.complaints IS NOT NULL THEN 'complaints ' ELSE '' END) AS basis_aggregates
FROM keys AS k
  LEFT JOIN intake_agg AS i ON i."municipality" = k."municipality" AND i."fiscal_year" = k."fiscal_year"
  LEFT JOIN outcome_agg AS o ON o."municipality" = k."municipality" AND o."fiscal_year" = k."fiscal_year"
  LEFT JOIN stay_agg AS s ON s."municipality" = k."municipality" AND s."fiscal_year" = k."fiscal_year"
  LEFT JOIN tnr_agg AS t ON t."municipality" = k."municipality" AND t."fiscal_year" = k."fiscal_year"
  LEFT JOIN complaint_agg AS m ON m."municipality" = k."municipality" AND m."fiscal_year" = k."fiscal_year"
  LEFT JOIN yearly_agg AS y ON y."municipality" = k."municipality" AND y."fiscal_year" = k."fiscal_year"
ORDER BY k."municipality", k."fiscal_year"
