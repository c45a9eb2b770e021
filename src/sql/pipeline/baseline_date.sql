-- baseline_date: the date tier cohorts for outcome metrics are fixed at.
-- The first programme wave start (cohorts as the programme began); without waves, a year before as-of.
SELECT strftime(coalesce(min(wave_start), CAST($as_of AS DATE) - INTERVAL 365 DAY), '%Y-%m-%d') AS baseline_date
FROM practices
