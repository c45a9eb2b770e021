-- Model store: every fitted model, by the as-of date it was fitted for (one per date; refits replace).
-- scoreStage reuses the latest when config.model.refit allows.
CREATE TABLE IF NOT EXISTS risk_models (as_of DATE NOT NULL, model JSON NOT NULL);
