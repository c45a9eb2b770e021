/** The report's pages: index (whole population), one per network, one per practice. */
import fs from 'node:fs';
import path from 'node:path';
import type { TrendGroup } from '../outcomes/trend-types.js';
import type { DisclosureSettings } from '../segment/disclosure.js';
import { chartStem } from '../charts/bed-days.js';
import { chartsDir } from '../charts/stage.js';
import { escapeHtml } from '../text/safe.js';
import { link, note, page, section, table } from './html.js';
import type { CsvTable } from './inputs.js';
import {
  absent, dataQualitySection, groupRows, latestMonth, modelSection, recentMonthsTable, segmentationSection,
  sideBySideTable, tierMixSection, tierTable, trendSection, type ChartFiles, type EffectSummary, type Monthly,
} from './sections.js';

export interface PracticeInfo {
  practice_code: string; practice_name: string; network_code: string; network_name: string;
  wave: number | null; wave_start: string | null;
}

/** Everything the pages are built from (null = that input file is absent). */
export interface ReportInputs {
  outDir: string;
  asOf: string;
  /** The run's disclosure rule: the model section publishes patient counts with it, and the notes quote it. */
  disclosure: DisclosureSettings;
  dataQuality: unknown;
  segmentationMeta: unknown;
  segmentation: CsvTable | null;
  segmentationByNetwork: CsvTable | null;
  segmentationByPractice: CsvTable | null;
  evaluation: Record<string, unknown> | null;
  evaluationHtml: boolean;
  monthly: Monthly | null;
  trends: TrendGroup[] | null;
  effect: EffectSummary | null;
  /** null when the warehouse has no practices table. */
  practices: PracticeInfo[] | null;
  /** Codes with a page of their own (validated); links go only to these. */
  networkPages: Set<string>;
  practicePages: Set<string>;
}

export const networkHref = (code: string, prefix = '') => `${prefix}networks/${code}.html`;
export const practiceHref = (code: string, prefix = '') => `${prefix}practices/${code}.html`;

function findTrend(inp: ReportInputs, level: TrendGroup['level'], code?: string): TrendGroup | undefined {
  return inp.trends?.find((g) => g.level === level && (code === undefined || g.code === code));
}

/** The chart files of a group: inline SVG text and relative links, or null when not rendered. */
function chartFiles(inp: ReportInputs, group: TrendGroup | undefined, prefix: string): ChartFiles | null {
  if (!group) return null;
  let stem: string;
  try {
    stem = chartStem(group);
  } catch {
    return null;
  }
  const svgFile = path.join(inp.outDir, chartsDir, `${stem}.svg`);
  const svg = fs.existsSync(svgFile) ? fs.readFileSync(svgFile, 'utf8').replace(/^<\?xml[^>]*>\s*/, '') : null;
  return { svg, pngHref: `${prefix}${chartsDir}/${stem}.png`, csvHref: `${prefix}${chartsDir}/${stem}.csv` };
}

function networkLink(inp: ReportInputs, code: string, name: string | undefined, prefix: string) {
  return inp.networkPages.has(code) ? link(networkHref(code, prefix), name ? `${name} (${code})` : code) : (name ? `${name} (${code})` : code);
}

function practiceLink(inp: ReportInputs, p: PracticeInfo, prefix: string) {
  return inp.practicePages.has(p.practice_code) ? link(practiceHref(p.practice_code, prefix), p.practice_code) : p.practice_code;
}

function practicesTable(inp: ReportInputs, practices: PracticeInfo[], prefix: string): string {
  return table(['Practice', 'Name', 'Network', 'Wave', 'Joined'], practices.map((p) => [
    practiceLink(inp, p, prefix), p.practice_name, networkLink(inp, p.network_code, p.network_name, prefix),
    p.wave ?? 'not in programme', p.wave_start ?? '',
  ]));
}

const monthlyNote = note('From outcomes/monthly.csv. Counts above practice level are shown as published there '
  + '(small numbers suppressed: 1–7 as *, others rounded to 5); they are never re-derived here.');

export function indexPage(inp: ReportInputs): string {
  const body: string[] = [];
  body.push(note(`As of ${inp.asOf}. Each section says which output it comes from; a section whose stage did not run says so.`));
  body.push(`<nav>${[['data-quality', 'Data quality'], ['segmentation', 'Segmentation'], ['model', 'Risk model'],
    ['outcomes', 'Outcomes'], ['bed-days', 'Bed-day trend'], ['pages', 'Networks and practices']]
    .map(([id, t]) => link(`#${id}`, t).html).join('')}</nav>`);

  body.push(section('data-quality', 'Data quality', dataQualitySection(inp.dataQuality as never)));
  body.push(section('segmentation', 'Population segmentation', segmentationSection(inp.segmentationMeta, inp.segmentation, inp.disclosure)
    + (inp.segmentationByNetwork ? `<h3>By network</h3>${byNetworkTiers(inp)}` : '')));
  body.push(section('model', 'Risk model evaluation', modelSection(inp.evaluation, inp.evaluationHtml, inp.disclosure)));

  let outcomes: string;
  if (!inp.monthly) outcomes = absent('outcomes/monthly.csv', 'outcomes');
  else {
    const m = inp.monthly;
    const all = groupRows(m, 'all');
    const nets = groupRows(m, 'network');
    const month = latestMonth(m, nets);
    const codes = [...new Set(nets.map((r) => r.code ?? r.group_code ?? r.network_code))].sort();
    const names = new Map((inp.practices ?? []).map((p) => [p.network_code, p.network_name]));
    outcomes = `<h3>Whole population, recent months</h3>${recentMonthsTable(m, all)}`
      + (month ? `<h3>Networks, ${escapeHtml(month)}</h3>${sideBySideTable(m, codes.map((c) => [networkLink(inp, c, names.get(c), ''),
        nets.find((r) => (r.code ?? r.group_code ?? r.network_code) === c && r[m.monthCol] === month)]))}` : note('No network rows in outcomes/monthly.csv.'))
      + monthlyNote;
  }
  body.push(section('outcomes', 'Outcomes', outcomes));

  const allTrend = findTrend(inp, 'all');
  const effect = inp.effect ?? allTrend?.effect ?? null;
  body.push(section('bed-days', 'Non-elective bed days: trend and programme effect',
    trendSection(allTrend, chartFiles(inp, allTrend, ''), effect, inp.effect ? 'evaluation/effect.json' : undefined)));

  let pages: string;
  if (!inp.practices) pages = note('Not available: the warehouse has no practices table (the ingest stage did not run).');
  else {
    const networks = [...new Map(inp.practices.map((p) => [p.network_code, p.network_name])).entries()].sort(([a], [b]) => a.localeCompare(b));
    pages = `<h3>Networks</h3>${table(['Network', 'Practices'], networks.map(([code, name]) =>
      [networkLink(inp, code, name, ''), inp.practices!.filter((p) => p.network_code === code).length]))}`
      + `<h3>Practices</h3>${practicesTable(inp, inp.practices, '')}`;
  }
  body.push(section('pages', 'Networks and practices', pages));
  return page('Risk stratification and outcomes: whole population', body.join('\n'));
}

function byNetworkTiers(inp: ReportInputs): string {
  const csv = inp.segmentationByNetwork!;
  const codeCol = csv.columns.find((c) => /(^|_)code$/.test(c) || c === 'network');
  if (!codeCol) return note('segmentation-by-network.csv has no network code column.');
  return tierTable(csv.rows, ['Network', (r) => networkLink(inp, r[codeCol], undefined, '')])
    + note('Counts as published in segmentation-by-network.csv.');
}

export function networkPage(inp: ReportInputs, code: string): string {
  const practices = (inp.practices ?? []).filter((p) => p.network_code === code);
  const name = practices[0]?.network_name ?? code;
  const body: string[] = [`<nav>${link('../index.html', 'Whole population').html}</nav>`];
  body.push(section('practices', 'Practices', practicesTable(inp, practices, '../')));
  body.push(section('outcomes', 'Outcomes', outcomesBeside(inp, [['network', code, name]])));
  const trend = findTrend(inp, 'network', code);
  body.push(section('bed-days', 'Non-elective bed days', trendSection(trend, chartFiles(inp, trend, '../'), trend?.effect ?? null)));
  body.push(section('tiers', 'Tier mix', tierMixSection(inp.segmentationByNetwork, code, 'segmentation-by-network.csv')));
  return page(`${name} (${code}): network report`, body.join('\n'));
}

export function practicePage(inp: ReportInputs, p: PracticeInfo): string {
  const body: string[] = [`<nav>${link('../index.html', 'Whole population').html}${inp.networkPages.has(p.network_code)
    ? link(networkHref(p.network_code, '../'), `Network: ${p.network_name}`).html : ''}</nav>`];
  body.push(table(['Practice', 'Network', 'Programme wave', 'Joined'],
    [[`${p.practice_name} (${p.practice_code})`, `${p.network_name} (${p.network_code})`, p.wave ?? 'not in programme', p.wave_start ?? '']]));
  body.push(section('outcomes', 'Outcomes', outcomesBeside(inp, [['practice', p.practice_code, p.practice_name],
    ['network', p.network_code, p.network_name]])));
  const trend = findTrend(inp, 'practice', p.practice_code);
  body.push(section('bed-days', 'Non-elective bed days', trendSection(trend, chartFiles(inp, trend, '../'), trend?.effect ?? null)));
  body.push(section('tiers', 'Tier mix', tierMixSection(inp.segmentationByPractice, p.practice_code, 'segmentation-by-practice.csv')));
  body.push(note('Aggregates only: the practice\'s patient-level lists are in its registers, not in this report.'));
  return page(`${p.practice_name} (${p.practice_code}): practice report`, body.join('\n'));
}

/** The latest month of each group beside the whole population, then the first group's recent months. */
function outcomesBeside(inp: ReportInputs, groups: [string, string, string][]): string {
  const m = inp.monthly;
  if (!m) return absent('outcomes/monthly.csv', 'outcomes');
  const own = groupRows(m, groups[0][0], groups[0][1]);
  const month = latestMonth(m, own);
  if (!month) return note(`No rows for ${groups[0][1]} in outcomes/monthly.csv.`);
  const at = (level: string, code?: string) => groupRows(m, level, code).find((r) => r[m.monthCol] === month);
  const columns: [unknown, Record<string, string> | undefined][] = groups.map(([level, code, name]) => [`${name} (${code})`, at(level, code)]);
  columns.push(['Whole population', at('all')]);
  return `<h3>${escapeHtml(month)}</h3>${sideBySideTable(m, columns)}<h3>Recent months, ${escapeHtml(groups[0][2])}</h3>`
    + recentMonthsTable(m, own) + monthlyNote;
}

