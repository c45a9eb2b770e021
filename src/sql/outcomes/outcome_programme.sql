-- outcome_programme: each practice's network and programme wave, with the wave's first month ('YYYY-MM');
-- wave_month NULL: never joined. Read by the trend and effect builders.
WITH p AS (SELECT practice_code, practice_name, network_code, network_name, wave, wave_start FROM practices)
SELECT practice_code, practice_name, network_code, network_name, wave,
       CASE WHEN wave IS NOT NULL AND wave_start IS NOT NULL THEN strftime(date_trunc('month', wave_start), '%Y-%m') END AS wave_month
FROM p
ORDER BY practice_code;
