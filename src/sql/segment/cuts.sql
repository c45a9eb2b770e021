-- segment/cuts: where the tier boundaries fell: the first and last person of each tier by
-- complexity rank, with their condition count and cost (tiers are contiguous in rank order).
SELECT
  tier,
  count(*) AS people,
  min(complexity_rank) AS first_rank,
  arg_min(condition_count, complexity_rank) AS first_conditions,
  arg_min(cost, complexity_rank) AS first_cost,
  max(complexity_rank) AS last_rank,
  arg_max(condition_count, complexity_rank) AS last_conditions,
  arg_max(cost, complexity_rank) AS last_cost
FROM _segment_work
GROUP BY tier
ORDER BY first_rank
