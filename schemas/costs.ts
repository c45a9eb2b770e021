/**
 * The price tables that cost rows whose extract carries no cost (schemas/costs/*.csv, or an ICB's own
 * files of the same columns named by `costs.unit_costs` / `costs.hrg_prices` in the config).
 */
import type { ColumnSpec } from './native.js';

const c = (name: string, type: ColumnSpec['type'], required: boolean, description: string): ColumnSpec => ({ name, type, required, description });

/** Points of delivery a unit-cost table may price (see src/sql/ingest/costing.sql for how a row gets one). */
export const pointsOfDelivery = {
  day_case: 'Elective day case (ADMIMETH 11-13, CLASSPAT 2), per spell',
  regular_attender: 'Regular day or night attender (elective, CLASSPAT 3/4), per spell',
  elective_ordinary: 'Elective ordinary admission, per spell; days beyond trim_days at excess_day_cost',
  non_elective_short_stay: 'Non-elective spell (every other ADMIMETH) of under 2 days, per spell',
  non_elective_long_stay: 'Non-elective spell of 2 days or more, per spell; days beyond trim_days at excess_day_cost',
  ae_type_01: 'A&E attendance, type 1 (major) department',
  ae_type_02: 'A&E attendance, type 2 (single specialty) department',
  ae_type_03: 'A&E attendance, type 3 (other A&E / urgent treatment centre)',
  ae_type_04: 'A&E attendance, type 4 (walk-in centre)',
  ae_type_05: 'Same day emergency care attendance recorded in ECDS (department type 05)',
  ae_all_types: 'A&E attendance whose department type is not known',
  op_first: 'Attended first outpatient appointment (FIRSTATT 1, 3); by specialty (TFC) where given',
  op_follow_up: 'Attended follow-up outpatient appointment; by specialty (TFC) where given',
} as const;

export const unitCostColumns: ColumnSpec[] = [
  c('pod', 'VARCHAR', true, 'Point of delivery (see pointsOfDelivery)'),
  c('specialty', 'VARCHAR', false, 'Treatment function code (outpatients); empty: every specialty without its own row'),
  c('unit_cost', 'DOUBLE', true, 'GBP per unit (spell, attendance, appointment)'),
  c('trim_days', 'INTEGER', false, 'Length of stay beyond which each day adds excess_day_cost'),
  c('excess_day_cost', 'DOUBLE', false, 'GBP per day beyond trim_days'),
  c('price_year', 'VARCHAR', true, 'Financial year of the price, e.g. 2023/24'),
  c('source', 'VARCHAR', true, 'Publication, table and how the figure was derived'),
];

export const hrgPriceColumns: ColumnSpec[] = [
  c('hrg', 'VARCHAR', true, 'HRG code, e.g. DZ65K'),
  c('description', 'VARCHAR', false, 'HRG name'),
  c('day_case', 'DOUBLE', false, 'Day case (and regular attender) spell price'),
  c('ordinary_elective', 'DOUBLE', false, 'Ordinary elective spell price'),
  c('elective_trim_days', 'INTEGER', false, 'Ordinary elective long-stay trim point (days)'),
  c('non_elective', 'DOUBLE', false, 'Non-elective spell price'),
  c('non_elective_trim_days', 'INTEGER', false, 'Non-elective long-stay trim point (days)'),
  c('per_day_long_stay', 'DOUBLE', false, 'Per-day long-stay payment for days beyond the trim point'),
  c('non_elective_short_stay', 'DOUBLE', false, 'Price of a non-elective spell under 2 days (reduced short-stay emergency tariff, or the short-stay cost)'),
  c('emergency_care', 'DOUBLE', false, 'A&E attendance price (VB HRGs)'),
  c('outpatient', 'DOUBLE', false, 'Outpatient attendance or procedure price (WF currencies, procedure HRGs)'),
  c('price_year', 'VARCHAR', true, 'Financial year of the price'),
  c('source', 'VARCHAR', true, 'Publication and table'),
];

/** The shipped tables, relative to schemas/. */
export const shippedPriceFiles = { unit_costs: 'costs/unit_costs.csv', hrg_prices: 'costs/hrg_prices.csv' } as const;
