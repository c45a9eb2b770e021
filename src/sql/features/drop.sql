-- Features, after materialising: drop the view and the step tables it reads.
-- (The code lists stay: they are the same for every date.)
DROP VIEW IF EXISTS _features;
DROP TABLE IF EXISTS _f_pop;
DROP TABLE IF EXISTS _f_apc;
DROP TABLE IF EXISTS _f_ae;
DROP TABLE IF EXISTS _f_op;
DROP TABLE IF EXISTS _f_sc;
DROP TABLE IF EXISTS _f_gp;
DROP TABLE IF EXISTS _f_cond;
