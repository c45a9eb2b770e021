/** Report sections. Each takes already-read inputs (null = file absent) and returns HTML. */
import { escapeHtml } from '../text/safe.js';
import type { TrendGroup } from '../outcomes/trend-types.js';
import { describeRule, suppressCount, type DisclosureSettings } from '../segment/disclosure.js';
import { publishEvaluationRow, type EvaluationCounts } from '../model/published.js';
import { link, note, table } from './html.js';
import { columnLabel, fmtGiven, fmtNumber, fmtP, fmtSignedPct, tierLabels } from './format.js';
import type { CsvTable } from './inputs.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A missing-input note that names the file and the stage that writes it. */
export function absent(file: string, stage: string): string {
  return note(`Not available: ${file} was not written (the ${stage} stage did not run).`);
}

// ---------------------------------------------------------------- data quality

interface DataQuality {
  inputs?: { file?: string; extract?: string; sha256?: string; rows_read?: number; rows_loaded?: number; rows_rejected?: number; rows_opted_out?: number }[];
  reasons?: { extract?: string; reason?: string; rows?: number }[];
  kept_unknown_codes?: { extract?: string; column?: string; rows?: number }[];
  unregistered_activity?: { extract?: string; rows?: number }[];
  opt_outs?: { file?: string; patients_listed?: number; patients_found?: number } | null;
  costing?: {
    price_files?: { table?: string; origin?: string; file?: string; rows?: number; price_years?: string[] }[];
    rows?: { extract?: string; method?: string; rows?: number; cost?: number }[];
  };
}

const list = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);

/** How each extract's rows were costed, as the method names of ingest/costing say. */
const costingMethods: Record<string, string> = {
  given: 'as given in the extract', hrg: 'HRG price', pod: 'point-of-delivery unit cost',
  not_attended: 'not attended (no cost)', none: 'no price found (cost 0)',
};

export function dataQualitySection(dq: DataQuality | null): string {
  if (!dq) return absent('data-quality.json', 'ingest');
  const parts = [
    '<h3>Inputs</h3>',
    table(['Extract', 'File', 'Rows read', 'Loaded', 'Rejected', 'Opted out', 'Rejected %', 'SHA-256 (first 12)'],
      list(dq.inputs).map((i) => {
        const read = num(i.rows_read), rejected = num(i.rows_rejected);
        return [i.extract ?? '', i.file ?? '', fmtNumber(i.rows_read), fmtNumber(i.rows_loaded), fmtNumber(i.rows_rejected),
          fmtNumber(i.rows_opted_out ?? 0), read && rejected !== null ? fmtNumber((100 * rejected) / read, 2) : '', String(i.sha256 ?? '').slice(0, 12)];
      })),
    note('Rows read = loaded + rejected + opted out.'),
  ];
  const reasons = list(dq.reasons);
  parts.push('<h3>Reject reasons</h3>', reasons.length
    ? table(['Extract', 'Reason', 'Rows'], reasons.map((r) => [r.extract ?? '', r.reason ?? '', fmtNumber(r.rows)]))
    : note('No rows were rejected.'));
  const kept = list(dq.kept_unknown_codes);
  if (kept.length) {
    parts.push('<h3>Codes outside their published list, kept</h3>',
      table(['Extract', 'Column', 'Rows'], kept.map((k) => [k.extract ?? '', k.column ?? '', fmtNumber(k.rows)])));
  }
  const unreg = list(dq.unregistered_activity);
  if (unreg.length) {
    parts.push('<h3>Activity of patients not in the registrations extract</h3>',
      table(['Extract', 'Rows'], unreg.map((u) => [u.extract ?? '', fmtNumber(u.rows)])));
  }
  if (dq.opt_outs) {
    parts.push('<h3>National data opt-outs</h3>', note(`${dq.opt_outs.file ?? ''}: ${fmtNumber(dq.opt_outs.patients_listed)} patients listed, `
      + `${fmtNumber(dq.opt_outs.patients_found)} found in the extracts. Their rows are excluded from every table and output (Opted out above).`));
  }
  const costed = list(dq.costing?.rows);
  if (costed.length) {
    parts.push('<h3>Costing</h3>',
      table(['Extract', 'Costed by', 'Rows', 'Cost £'], costed.map((c) => [c.extract ?? '', costingMethods[c.method ?? ''] ?? c.method ?? '',
        fmtNumber(c.rows), fmtNumber(c.cost, 2)])),
      table(['Price table', 'File', 'Rows', 'Price year'], list(dq.costing?.price_files).map((f) => [f.table ?? '',
        `${f.file ?? ''}${f.origin === 'shipped' ? ' (shipped)' : ''}`, fmtNumber(f.rows), list(f.price_years).join(', ')])));
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------- segmentation

/** A scalar, or a small object/array flattened to 'key: value; …' for the method description. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(describe).join('; ');
  if (isObject(value)) return Object.entries(value).map(([k, v]) => `${columnLabel(k)}: ${describe(v)}`).join('; ');
  return typeof value === 'number' ? fmtNumber(value, Number.isInteger(value) ? 0 : 2) : String(value);
}

/** Symphony's form: segment, % of population, people, % of cost, cost (values as written by tiers). */
export function tierTable(rows: Record<string, string>[], first?: [string, (r: Record<string, string>) => unknown]): string {
  return table([...(first ? [first[0]] : []), 'Segment', '% of population', 'People', '% of cost', 'Cost (£)'],
    rows.map((r) => [...(first ? [first[1](r)] : []), tierLabels[r.tier] ?? r.tier, fmtGiven(r.pct_population ?? ''),
      fmtGiven(r.people ?? ''), fmtGiven(r.pct_cost ?? ''), fmtGiven(roundMoney(r.cost ?? ''))]));
}

function roundMoney(v: string): string {
  return /^-?\d+\.\d+$/.test(v.trim()) ? String(Math.round(Number(v))) : v;
}

export function segmentationSection(meta: unknown, csv: CsvTable | null, d: DisclosureSettings): string {
  if (!meta && !csv) return absent('segmentation.csv', 'tiers');
  const parts: string[] = [];
  if (isObject(meta)) {
    const rows = Object.entries(meta).filter(([k, v]) => k !== 'tiers' && !(Array.isArray(v) && v.some(isObject)))
      .map(([k, v]) => [columnLabel(k), describe(v)]);
    if (rows.length) parts.push('<h3>Method and cut points</h3>', table(['Setting', 'Value'], rows));
  } else {
    parts.push(note('Method and cut points not available: segmentation.json was not written.'));
  }
  parts.push(csv ? tierTable(csv.rows) + note(`From segmentation.csv; counts as published there (${describeRule(d)}; `
    + 'where people is *, the share and cost of that tier are blank).')
    : absent('segmentation.csv', 'tiers'));
  return parts.join('\n');
}

/** Rows of a by-network / by-practice segmentation CSV for one code (column named *_code or code). */
export function rowsFor(csv: CsvTable, code: string): Record<string, string>[] {
  const col = csv.columns.find((c) => /(^|_)code$/.test(c) || c === 'practice' || c === 'network');
  return col ? csv.rows.filter((r) => r[col] === code) : [];
}

export function tierMixSection(csv: CsvTable | null, code: string, file: string): string {
  if (!csv) return absent(file, 'tiers');
  const rows = rowsFor(csv, code);
  return rows.length ? tierTable(rows) + note(`From ${file}; counts as published there (suppressed beyond the practice).`)
    : note(`No rows for ${code} in ${file}.`);
}

// ---------------------------------------------------------------- model evaluation

/** Published figures from DOMAIN.md, shown beside the local model's. */
export const publishedCStatistics: [string, number][] = [
  ['PARR (Billings et al., BMJ 2006)', 0.69], ['PARR-30', 0.70], ['Combined Predictive Model (2006)', 0.78],
  ['QAdmissions', 0.77], ['SPARRA v4 (Scotland)', 0.80],
];
export const publishedParrAtScore: Record<number, { sensitivity: number; ppv: number }> = {
  50: { sensitivity: 54, ppv: 65 }, 70: { sensitivity: 18, ppv: 77 }, 80: { sensitivity: 8, ppv: 84 },
};

const f3 = (v: unknown) => (num(v) === null ? 'n/a' : fmtNumber(v, 3));

/** Arrays of objects anywhere in evaluation.json that carry ppv and sensitivity (cut-off tables). */
function cutOffTables(ev: Json, prefix = ''): [string, Json[]][] {
  const found: [string, Json[]][] = [];
  for (const [k, v] of Object.entries(ev)) {
    if (Array.isArray(v) && v.length && v.every(isObject) && v.some((o) => 'ppv' in o && 'sensitivity' in o)) found.push([prefix + k, v]);
    else if (isObject(v)) found.push(...cutOffTables(v, `${prefix}${k}.`));
  }
  return found;
}

/** A whole number of patients, the only kind of value the disclosure rule applies to. */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Columns of evaluation.json's tables that count held-out patients, and the ratios of those counts. */
const countColumns: readonly string[] = ['flagged', 'true_positives', 'patients', 'observed'] satisfies (keyof EvaluationCounts)[];
const ratioColumns: readonly string[] = ['ppv', 'sensitivity', 'observed_rate'];
const isCountColumn = (c: string): c is keyof EvaluationCounts => countColumns.includes(c);
const isRatioColumn = (c: string): c is 'ppv' | 'sensitivity' | 'observed_rate' => ratioColumns.includes(c);

/**
 * A row of an evaluation table as this ICB page publishes it: patient counts per the disclosure rule and
 * the ratios worked out from them (see src/model/published.ts). Other values, and ratios of a row without
 * counts (e.g. the published PARR figures), are shown as given.
 */
function disclosedCells(r: Json, cols: string[], events: number, d: DisclosureSettings): unknown[] {
  const counts: EvaluationCounts = {};
  for (const c of cols) if (isCountColumn(c) && isCount(r[c])) counts[c] = r[c];
  const shown = publishEvaluationRow(counts, events, d);
  return cols.map((c) => {
    if (isCountColumn(c) && shown.counts[c] !== undefined) return fmtGiven(shown.counts[c]);
    const v = isRatioColumn(c) && shown[c] !== undefined ? shown[c] : r[c];
    return typeof v === 'number' ? fmtNumber(v, Number.isInteger(v) ? 0 : 3) : v ?? '';
  });
}

export function modelSection(ev: Json | null, evaluationHtmlPresent: boolean, d: DisclosureSettings): string {
  if (!ev) return absent('model/evaluation.json', 'risk');
  const ci = num(ev.c_statistic_ci_low) !== null && num(ev.c_statistic_ci_high) !== null
    ? ` (95% CI ${f3(ev.c_statistic_ci_low)}–${f3(ev.c_statistic_ci_high)})` : '';
  const patients = (v: unknown) => (isCount(v) ? fmtGiven(suppressCount(v, d)) : fmtNumber(v, 0) || 'n/a');
  const parts = [table(['Measure (held-out patients)', 'Value'], [
    ['c-statistic, this model', `${f3(ev.c_statistic)}${ci}`],
    ['c-statistic, baseline (rank by emergency admissions in the last year)', f3(ev.baseline_c_statistic)],
    ['c-statistic of the true rates (ceiling; synthetic data only)', f3(ev.truth_c_statistic)],
    ['Brier score', num(ev.brier) === null ? 'n/a' : fmtNumber(ev.brier, 4)],
    ['Calibration slope', f3(ev.calibration_slope)],
    ['Predicted emergency admissions', fmtNumber(ev.predicted_total, 0) || 'n/a'],
    ['Observed emergency admissions', patients(ev.observed_total)],
    ['Held-out patients', patients(ev.holdout_patients)],
  ])];
  parts.push('<h3>Published figures for comparison</h3>',
    table(['Published model', 'c-statistic'], publishedCStatistics.map(([m, c]) => [m, fmtNumber(c, 2)])));
  for (const [name, rows] of cutOffTables(ev)) {
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => !isObject(r[k]) && !Array.isArray(r[k]))))];
    const cutCol = cols.find((c) => /^(score|threshold|min_score|cut_?off)$/.test(c));
    const withParr = cutCol !== undefined && rows.some((r) => num(r[cutCol]) !== null && publishedParrAtScore[r[cutCol] as number]);
    const header = [...cols.map(columnLabel), ...(withParr ? ['PARR published sensitivity %', 'PARR published PPV %'] : [])];
    parts.push(`<h3>PPV and sensitivity (${escapeHtml(columnLabel(name))})</h3>`, table(header, rows.map((r) => {
      const cells = disclosedCells(r, cols, isCount(ev.observed_total) ? ev.observed_total : 0, d);
      if (withParr) {
        const p = publishedParrAtScore[r[cutCol!] as number];
        cells.push(p ? String(p.sensitivity) : '', p ? `≈ ${p.ppv}` : '');
      }
      return cells;
    })));
  }
  if (!cutOffTables(ev).some(([, rows]) => rows.length)) {
    parts.push(table(['PARR published, score ≥', 'Sensitivity %', 'PPV %'],
      Object.entries(publishedParrAtScore).map(([s, p]) => [s, p.sensitivity, `≈ ${p.ppv}`])));
  }
  parts.push(note(`Counts of patients (admitted, held out, flagged, true positives) are published per the disclosure rule `
    + `(${describeRule(d)}); PPV and sensitivity are worked out from the published counts (blank where a count is *). `
    + 'The c-statistic is of the exact data.'));
  parts.push(evaluationHtmlPresent ? `<p>${link('model/evaluation.html', 'Full model evaluation (calibration by decile, PPV and sensitivity)').html}</p>`
    : note('model/evaluation.html was not written.'));
  return parts.join('\n');
}

// ---------------------------------------------------------------- outcome tables

/** monthly.csv in wide form: one row per (level, code, month) with metric columns. Long form is pivoted. */
export interface Monthly { metrics: string[]; rows: Record<string, string>[]; monthCol: string }

const idColumns = new Set(['month', 'period', 'level', 'code', 'name', 'group', 'group_code', 'group_name', 'network_code',
  'practice_code', 'tier', 'wave', 'metric', 'value']);

export function readMonthly(...tables: CsvTable[]): Monthly {
  const csv = tables[0];
  const monthCol = csv.columns.find((c) => c === 'month' || c === 'period') ?? csv.columns[0];
  if (csv.columns.includes('metric') && csv.columns.includes('value')) {
    // Long form (outcomes writes level, code, name, month, metric, value, per_1000): one row per metric.
    const metrics: string[] = [];
    const byKey = new Map<string, Record<string, string>>();
    for (const t of tables) for (const r of t.rows) {
      const rate = 'per_1000' in r ? `${r.metric}_per_1000` : null;
      if (!metrics.includes(r.metric)) metrics.push(r.metric, ...(rate ? [rate] : []));
      const key = [r[monthCol], r.level, r.code ?? r.group_code, r.tier ?? ''].join('\u0000');
      const row = byKey.get(key) ?? Object.fromEntries(t.columns.filter((c) => !['metric', 'value', 'per_1000'].includes(c)).map((c) => [c, r[c]]));
      row[r.metric] = r.value;
      if (rate) row[rate] = r.per_1000;
      byKey.set(key, row);
    }
    return { metrics, rows: [...byKey.values()], monthCol };
  }
  const rows = tables.flatMap((t) => t.rows);
  return { metrics: csv.columns.filter((c) => !idColumns.has(c) && c !== monthCol), rows, monthCol };
}

const groupIndex = new WeakMap<Monthly, Map<string, Record<string, string>[]>>();

/** Rows of one group (level + code), excluding per-tier breakdowns, ordered by month. Indexed once per
 *  table: a report has a page per practice, and an ICB can have hundreds of practices. */
export function groupRows(m: Monthly, level: string, code?: string): Record<string, string>[] {
  let index = groupIndex.get(m);
  if (!index) {
    index = new Map();
    for (const r of m.rows) {
      if (r.tier !== undefined && r.tier !== '' && r.tier.toLowerCase() !== 'all') continue;
      const lvl = r.level ?? 'all';
      const c = r.code ?? r.group_code ?? r.practice_code ?? r.network_code;
      for (const key of [lvl, `${lvl}\u0000${c}`]) {
        const list = index.get(key);
        if (list) list.push(r); else index.set(key, [r]);
      }
    }
    for (const list of index.values()) list.sort((a, b) => a[m.monthCol].localeCompare(b[m.monthCol]));
    groupIndex.set(m, index);
  }
  return index.get(code === undefined ? level : `${level}\u0000${code}`) ?? [];
}

/** Metrics down, months across: the last `n` months of one group. */
export function recentMonthsTable(m: Monthly, rows: Record<string, string>[], n = 6): string {
  const recent = rows.slice(-n);
  if (!recent.length) return note('No monthly rows for this group.');
  return table(['Metric', ...recent.map((r) => r[m.monthCol])],
    m.metrics.map((metric) => [columnLabel(metric), ...recent.map((r) => fmtGiven(r[metric] ?? ''))]));
}

/** Metrics down, groups across, for one month (each column: [heading, row or undefined]). */
export function sideBySideTable(m: Monthly, columns: [unknown, Record<string, string> | undefined][]): string {
  return table(['Metric', ...columns.map(([h]) => h)],
    m.metrics.map((metric) => [columnLabel(metric), ...columns.map(([, r]) => (r ? fmtGiven(r[metric] ?? '') : 'n/a'))]));
}

/** The latest month present in a set of rows. */
export function latestMonth(m: Monthly, rows: Record<string, string>[]): string | undefined {
  return rows.map((r) => r[m.monthCol]).sort().at(-1);
}

// ---------------------------------------------------------------- bed-day trend

export interface ChartFiles { svg: string | null; pngHref: string; csvHref: string }

export interface EffectSummary { method?: unknown; estimate_pct?: unknown; ci_low_pct?: unknown; ci_high_pct?: unknown; p_value?: unknown; [k: string]: unknown }

/** One line for an effect estimate, e.g. '-11.8% (95% CI -15.2% to -8.1%), p = 0.0004; segmented regression'. */
export function effectLine(e: EffectSummary): string {
  const est = num(e.estimate_pct), lo = num(e.ci_low_pct), hi = num(e.ci_high_pct), p = num(e.p_value);
  if (est === null) return 'not estimated';
  const ci = lo !== null && hi !== null ? ` (95% CI ${fmtSignedPct(lo)} to ${fmtSignedPct(hi)})` : '';
  const pv = p !== null ? `, p = ${fmtP(p)}` : '';
  return `${fmtSignedPct(est)}${ci}${pv}`;
}

export function trendSection(group: TrendGroup | undefined, files: ChartFiles | null, effect: EffectSummary | null,
  effectSource?: string): string {
  if (!group) return note('No bed-day trend for this group (outcomes/trends.json absent or has no such group).');
  const parts: string[] = [];
  if (files?.svg) {
    parts.push(`<figure class="chart">${files.svg}<figcaption>${escapeHtml(`Monthly non-elective bed days, ${group.name}.`)} `
      + `${link(files.pngHref, 'PNG').html} · ${link(files.csvHref, 'numbers behind the chart (CSV)').html}</figcaption></figure>`);
  } else {
    parts.push(note('Chart not available: the charts stage did not run.'));
  }
  const facts: string[] = [];
  const yoy = group.year_on_year;
  if (yoy) facts.push(`Year on year, ${escapeHtml(yoy.months)}: ${escapeHtml(fmtNumber(yoy.previous))} vs ${escapeHtml(fmtNumber(yoy.current))}, `
    + `${escapeHtml(fmtSignedPct(yoy.change_pct))}.`);
  else facts.push('Year-on-year comparison: not available.');
  facts.push(`Consecutive months below projection, up to the latest month: ${escapeHtml(group.consecutive_months_below_projection)}.`);
  if (effect) {
    facts.push(`Estimated effect of the programme on non-elective bed days: <strong>${escapeHtml(effectLine(effect))}</strong>`
      + `; method: ${escapeHtml(effect.method ?? 'not stated')}${effectSource ? ` (${escapeHtml(effectSource)})` : ''}.`);
    const sens = effect.sensitivity as EffectSummary | null | undefined;
    if (sens && typeof sens === 'object') {
      facts.push(`Sensitivity check, ${escapeHtml(sens.method ?? 'alternative method')}: ${escapeHtml(effectLine(sens))}.`);
    }
    for (const k of ['rationale', 'why', 'comparison', 'note', 'description']) {
      if (typeof effect[k] === 'string') facts.push(`${escapeHtml(columnLabel(k).replace(/^./, (c) => c.toUpperCase()))}: ${escapeHtml(effect[k])}`);
    }
  } else {
    const why = (group as { effect_note?: unknown }).effect_note;
    facts.push(`Effect estimate: not available for this group${typeof why === 'string' ? ` (${escapeHtml(why)})` : ''}.`);
  }
  const special = group.points.filter((p) => p.special_cause);
  if (special.length) facts.push(`Special-cause months (SPC): ${escapeHtml(special.map((p) => `${p.month} (${p.special_cause})`).join(', '))}.`);
  parts.push(`<ul class="facts">${facts.map((f) => `<li>${f}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

