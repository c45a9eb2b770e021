/** The evaluators' bed-day trend chart for one group: spec, SVG, PNG and the CSV behind it. */
import fs from 'node:fs';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { TrendGroup } from '../outcomes/trend-types.js';
import { safeFileStem, toCsv } from '../text/safe.js';
import { chartFontFamily, renderSvg, svgToPngAsync } from './render.js';

export const chartWidth = 900;
export const chartHeight = 420;

export const yAxisTitle = 'Non-elective bed days'; // short: a long rotated title breaks 'fit' layout
export const xAxisTitle = 'Month';

/** Series names (legend entries), in legend order, with their colours. */
const series = {
  observed: 'Observed',
  special: 'Special cause (SPC)',
  projection: 'Projection of pre-programme trend',
  interval: '95% prediction interval',
  mean: 'SPC mean',
  limits: 'SPC process limits',
} as const;
const seriesColours: Record<string, string> = {
  [series.observed]: '#1f4e79',
  [series.special]: '#d95f02',
  [series.projection]: '#7a7a7a',
  [series.interval]: '#c8c8c8',
  [series.mean]: '#2a9d8f',
  [series.limits]: '#b22222',
};

export function chartTitle(group: TrendGroup): string {
  return `${group.name}: monthly non-elective bed days`;
}

export function waveLabel(wave: number): string {
  return `Wave ${wave} starts`;
}

/** 'YYYY-MM' → milliseconds at midnight UTC on the 1st (UTC everywhere: output must not depend on TZ). */
function monthMs(month: string): number {
  const m = /^(\d{4})-(\d{2})/.exec(month);
  if (!m) throw new Error(`bad month ${JSON.stringify(month)}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
}

/** The file stem `<level>-<code>-bed-days`: codes validated, never raw input. */
export function chartStem(group: TrendGroup): string {
  let code: string;
  if (group.level === 'all') code = 'all';
  else if (group.level === 'practice' || group.level === 'network') code = safeFileStem(group.code);
  else if (/^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(group.code)) code = group.code; // 'wave-1', 'less_complex'
  else throw new Error(`unsafe ${group.level} code for a file name: ${JSON.stringify(group.code)}`);
  return `${group.level}-${code}-bed-days`;
}

interface SpecParts { template: TopLevelSpec; datasets: Record<string, unknown[]>; title: string }

const titlePlaceholder = '(title)';

/**
 * The chart as a template (named data sources, placeholder title: the same for every group of the
 * same shape, so it compiles once) plus the group's data and title.
 */
function bedDaysParts(group: TrendGroup): SpecParts {
  const values = group.points.map((p) => ({
    t: monthMs(p.month), month: p.month, value: p.suppressed ? null : p.value, projected: p.projected, pi_low: p.pi_low,
    pi_high: p.pi_high, mean: p.mean, lpl: p.lpl, upl: p.upl, special_cause: p.special_cause ?? '',
  }));
  const x = { field: 't', type: 'temporal', timeUnit: 'utcyearmonth', title: xAxisTitle,
    axis: { format: '%b %Y', labelAngle: 0, tickCount: { interval: 'month', step: 6 }, grid: false } } as const;
  const y = (field: string) => ({ field, type: 'quantitative', title: yAxisTitle, scale: { zero: false } } as const);
  const colour = (name: string) => ({ datum: name });
  const hasProjection = values.some((v) => v.projected !== null);
  const hasInterval = values.some((v) => v.pi_low !== null && v.pi_high !== null);
  const tooltip = [
    { field: 'month', title: 'Month' }, { field: 'value', title: 'Observed', format: ',.0f' },
    { field: 'projected', title: 'Projected', format: ',.0f' }, { field: 'special_cause', title: 'Special cause' },
  ];

  const datasets: Record<string, unknown[]> = { points: values };
  const layers: unknown[] = [];
  if (hasInterval) layers.push({
    transform: [{ filter: 'isValid(datum.pi_low) && isValid(datum.pi_high)' }],
    mark: { type: 'area', opacity: 0.45 },
    encoding: { x, y: y('pi_low'), y2: { field: 'pi_high' }, color: colour(series.interval) },
  });
  if (hasProjection) layers.push({
    transform: [{ filter: 'isValid(datum.projected)' }],
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: { x, y: y('projected'), color: colour(series.projection) },
  });
  layers.push(
    { mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.2, interpolate: 'step-after' },
      encoding: { x, y: y('mean'), color: colour(series.mean) } },
    { mark: { type: 'line', strokeDash: [3, 3], strokeWidth: 1.2, interpolate: 'step-after' },
      encoding: { x, y: y('lpl'), color: colour(series.limits) } },
    { mark: { type: 'line', strokeDash: [3, 3], strokeWidth: 1.2, interpolate: 'step-after' },
      encoding: { x, y: y('upl'), color: colour(series.limits) } },
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: y('value'), color: colour(series.observed) } },
    { mark: { type: 'point', filled: true, size: 28 },
      encoding: { x, y: y('value'), color: colour(series.observed), tooltip } },
  );
  if (values.some((v) => v.special_cause !== '')) layers.push({
    transform: [{ filter: "datum.special_cause !== ''" }],
    mark: { type: 'point', filled: true, size: 90, stroke: 'white', strokeWidth: 1 },
    encoding: { x, y: y('value'), color: colour(series.special), tooltip },
  });
  if (group.waves.length) {
    const waves = [...group.waves].sort((a, b) => a.month.localeCompare(b.month) || a.wave - b.wave)
      .map((w, i) => ({ t: monthMs(w.month), label: waveLabel(w.wave), row: i % 2 }));
    datasets.waves = waves;
    layers.push({ data: { name: 'waves' }, mark: { type: 'rule', color: '#555', strokeWidth: 1.2 }, encoding: { x } });
    // Alternate label rows so waves a few months apart do not overprint each other.
    for (const row of [0, 1]) {
      const labels = waves.filter((w) => w.row === row);
      datasets[`wave_labels_${row}`] = labels;
      if (labels.length) layers.push({ data: { name: `wave_labels_${row}` },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4 + 16 * row, fontSize: 12, color: '#333' },
        encoding: { x, y: { value: 0 }, text: { field: 'label' } } });
    }
  }

  const legendDomain = Object.values(series).filter((s) =>
    (s !== series.projection || hasProjection) && (s !== series.interval || hasInterval)
    && (s !== series.special || values.some((v) => v.special_cause !== '')));
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: chartWidth,
    height: chartHeight,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 10,
    background: 'white',
    title: {
      text: titlePlaceholder,
      // Two short lines: the layout sizes the plot from estimated text widths, and a long line shrinks it.
      subtitle: ['Adults, stays of 1+ days. Projection of the 3-year pre-programme trend (linear + season)',
        'with its 95% prediction interval; SPC (XmR) mean and process limits; markers where each wave started'],
      anchor: 'start', fontSize: 17, subtitleFontSize: 11.5,
    },
    data: { name: 'points' },
    layer: layers,
    encoding: {
      color: { scale: { domain: legendDomain, range: legendDomain.map((s) => seriesColours[s]) },
        legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 3, labelFontSize: 11.5, labelLimit: 320, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 } },
    },
    config: {
      font: chartFontFamily,
      axis: { labelFontSize: 11.5, titleFontSize: 12.5, labelFont: chartFontFamily, titleFont: chartFontFamily },
      legend: { labelFont: chartFontFamily, titleFont: chartFontFamily },
      title: { font: chartFontFamily, subtitleFont: chartFontFamily },
      text: { font: chartFontFamily },
      view: { stroke: null },
    },
  };
  return { template: spec as TopLevelSpec, datasets, title: chartTitle(group) };
}

/** The Vega-Lite spec: 900×420 overall, UTC time axis, shared legend for every series (data inline). */
export function bedDaysSpec(group: TrendGroup): TopLevelSpec {
  const { template, datasets, title } = bedDaysParts(group);
  const spec = structuredClone(template) as unknown as { title: { text: string }; data: unknown; layer: { data?: { name: string } | { values: unknown[] } }[] };
  spec.title.text = title;
  spec.data = { values: datasets.points };
  for (const l of spec.layer) if (l.data && 'name' in l.data) l.data = { values: datasets[l.data.name] };
  return spec as unknown as TopLevelSpec;
}

/** The numbers behind the chart, one row per month (CSV, LF, header first). */
export function bedDaysCsv(group: TrendGroup): string {
  const starts = new Map<string, number[]>();
  for (const w of group.waves) starts.set(w.month, [...(starts.get(w.month) ?? []), w.wave]);
  return toCsv(
    ['month', 'bed_days', 'projected', 'pi_low', 'pi_high', 'spc_mean', 'spc_lpl', 'spc_upl', 'special_cause', 'wave_starts'],
    group.points.map((p) => [p.month, p.suppressed ? '*' : p.value, p.projected, p.pi_low, p.pi_high, p.mean, p.lpl, p.upl, p.special_cause,
      (starts.get(p.month) ?? []).sort((a, b) => a - b).join(' ')]),
  );
}

export async function bedDaysSvg(group: TrendGroup): Promise<string> {
  const { template, datasets, title } = bedDaysParts(group);
  return renderSvg(template, datasets, title);
}

export interface WrittenChart { stem: string; svg: string; png: string; csv: string }

/** Writes `<dir>/<stem>.svg|.png|.csv`; returns the file names (relative to dir). */
export async function writeBedDaysChart(group: TrendGroup, dir: string): Promise<WrittenChart> {
  const stem = chartStem(group);
  const svg = await bedDaysSvg(group);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${stem}.svg`), svg);
  fs.writeFileSync(path.join(dir, `${stem}.png`), await svgToPngAsync(svg));
  fs.writeFileSync(path.join(dir, `${stem}.csv`), bedDaysCsv(group));
  return { stem, svg: `${stem}.svg`, png: `${stem}.png`, csv: `${stem}.csv` };
}
