import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Resvg } from '@resvg/resvg-js';
import type { TrendGroup } from '../src/outcomes/trend-types.js';
import { bedDaysCsv, bedDaysSpec, bedDaysSvg, chartStem, chartTitle } from '../src/charts/bed-days.js';
import { chartFontFamily, chartFontFile, renderSvg, svgToPng } from '../src/charts/render.js';
import { chartsStage } from '../src/charts/stage.js';
import { fixtureDir, fixtureOutDir, fixtureWarehouse, stageContext } from './report-fixture.js';

const groups: TrendGroup[] = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'outcomes', 'trends.json'), 'utf8'));
const all = groups[0];

/** Width and height from a PNG's IHDR chunk (bytes 16–23), read independently of resvg. */
function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

/** Non-white pixels of an SVG rendered with the bundled font, optionally in rows [y0, y1). */
function inkPixels(svg: string, y0 = 0, y1 = Infinity): number {
  const img = new Resvg(svg, { background: 'white', font: { fontFiles: [chartFontFile], loadSystemFonts: false, defaultFontFamily: chartFontFamily } }).render();
  const px = img.pixels;
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = 0; x < img.width; x++) {
      const i = 4 * (y * img.width + x);
      if (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200) n++;
    }
  }
  return n;
}

describe('bed-day chart', () => {
  it('renders an SVG with every layer, the title, axis titles, wave labels and legend', async () => {
    const svg = await bedDaysSvg(all);
    expect(svg).toMatch(/^<svg [^>]*width="900" height="420"/);
    expect(svg).toContain('>Whole population: monthly non-elective bed days</text>');
    expect(svg).toContain('>Month</text>');
    expect(svg).toContain('>Non-elective bed days</text>');
    expect(svg).toContain('>Wave 1 starts</text>');
    expect(svg).toContain('>Wave 2 starts</text>');
    for (const label of ['Observed', 'Special cause (SPC)', 'Projection of pre-programme trend', '95% prediction interval', 'SPC mean', 'SPC process limits']) {
      expect(svg).toContain(`>${label}</text>`);
    }
    for (const mark of ['mark-area', 'mark-line', 'mark-symbol', 'mark-rule', 'mark-text']) expect(svg).toContain(`class="${mark} role-mark`);
    // 36 observed points, plus 2 highlighted special-cause points (fixture: 2024-10 and 2024-11)
    const symbolGroups = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => (m[1].match(/<path /g) ?? []).length);
    expect(symbolGroups.sort((a, b) => a - b)).toEqual(expect.arrayContaining([2, 36]));
    // Two wave rules (plus axis rules, which are not 'mark-rule role-mark')
    const rules = svg.match(/<g class="mark-rule role-mark[^"]*"[^>]*>(.*?)<\/g>/)?.[1] ?? '';
    expect((rules.match(/<line /g) ?? []).length).toBe(2);
    expect(svg).toContain(`font-family="${chartFontFamily}"`);
    expect(svg).not.toMatch(/https?:\/\/(?!www\.w3\.org\/)/); // only XML namespaces
  });

  it('is deterministic: the same group renders byte-identical SVG, also after other groups', async () => {
    const a = await bedDaysSvg(all);
    await bedDaysSvg(groups[3]);
    const b = await bedDaysSvg(all);
    expect(b).toBe(a);
    // the self-contained spec (data inline) renders the same as the cached template
    expect(await renderSvg(bedDaysSpec(all))).toBe(a);
    expect(svgToPng(a).equals(svgToPng(b))).toBe(true);
  });

  it('omits projection layers and wave labels for a group without them', async () => {
    const bare: TrendGroup = { ...all, name: 'Bare', waves: [], points: all.points.map((p) => ({ ...p, projected: null, pi_low: null, pi_high: null, special_cause: null })) };
    const svg = await bedDaysSvg(bare);
    expect(svg).not.toContain('Wave 1 starts');
    expect(svg).not.toContain('mark-area');
    expect(svg).not.toContain('>Projection of pre-programme trend</text>');
    expect(svg).toContain('>Bare: monthly non-elective bed days</text>');
  });

  it('escapes a name in the SVG text', async () => {
    const svg = await bedDaysSvg(groups[4]);
    expect(groups[4].name).toContain('<script>');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(');
  });

  it('renders a PNG at twice 900×420 that is not blank and has visible text', async () => {
    const svg = await bedDaysSvg(all);
    const png = svgToPng(svg);
    expect(pngSize(png)).toEqual([1800, 840]);
    const total = inkPixels(svg);
    expect(total).toBeGreaterThan(0.03 * 900 * 420); // lines, band, points, text
    expect(total).toBeLessThan(0.6 * 900 * 420);     // but mostly white background
    // The title band (top 30 px) has ink only if the bundled font rendered the title
    expect(inkPixels(svg, 0, 30)).toBeGreaterThan(300);
    const noTitle = svg.replace(/>Whole population: monthly non-elective bed days</, '><');
    expect(inkPixels(noTitle, 0, 30)).toBe(0);
  });

  it('writes the numbers behind the chart as CSV', () => {
    const csv = bedDaysCsv(all).split('\n');
    expect(csv[0]).toBe('month,bed_days,projected,pi_low,pi_high,spc_mean,spc_lpl,spc_upl,special_cause,wave_starts');
    expect(csv).toHaveLength(36 + 2); // header, 36 months, trailing newline
    expect(csv[1]).toBe(`2022-04,${all.points[0].value},,,,1470,1190,1750,,`);
    expect(csv.find((l) => l.startsWith('2024-04,'))).toMatch(/,1$/);
    expect(csv.find((l) => l.startsWith('2024-08,'))).toMatch(/,2$/);
    expect(csv.find((l) => l.startsWith('2024-10,'))).toMatch(/,seven_one_side,$/);
  });

  it('draws a suppressed month as missing (not as its placeholder 0) and writes * in the CSV', async () => {
    const g: TrendGroup = { ...groups[3], points: groups[3].points.map((p, i) => (i === 5 ? { ...p, value: 0, suppressed: true } : p)) };
    const svg = await bedDaysSvg(g);
    const counts = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].map((m) => (m[1].match(/<path /g) ?? []).length);
    expect(counts).toEqual([35]);
    expect(bedDaysCsv(g).split('\n')[6]).toMatch(/^2022-09,\*,/);
  });

  it('names files from validated codes only', () => {
    expect(chartStem(all)).toBe('all-all-bed-days');
    expect(chartStem(groups[1])).toBe('network-N001-bed-days');
    expect(chartStem(groups[6])).toBe('wave-wave-1-bed-days');
    expect(chartStem(groups[7])).toBe('tier-complex-bed-days');
    expect(() => chartStem({ ...groups[3], code: '../P001' })).toThrow(/unsafe/);
    expect(() => chartStem({ ...groups[3], code: 'CON' })).toThrow(/unsafe/);
    expect(() => chartStem({ ...groups[6], code: '../x' })).toThrow(/unsafe/);
    expect(chartTitle(all)).toBe('Whole population: monthly non-elective bed days');
  });
});

describe('chartsStage', () => {
  it('renders every group (svg, png, csv) and 25 charts in a few seconds', async () => {
    const dir = fixtureOutDir();
    // 25 groups: the fixture's 8 plus 17 more practices
    const many = [...groups, ...Array.from({ length: 17 }, (_, i) => ({ ...groups[3], code: `Q${String(i).padStart(3, '0')}`, name: `Practice ${i}` }))];
    fs.writeFileSync(path.join(dir, 'outcomes', 'trends.json'), JSON.stringify(many));
    const db = await fixtureWarehouse(false);
    const started = performance.now();
    const r = await chartsStage(stageContext(db, dir));
    const seconds = (performance.now() - started) / 1000;
    console.log(`chartsStage: 25 charts (svg+png+csv) in ${seconds.toFixed(2)} s`);
    expect(r.rows).toBe(25);
    expect(r.outputs).toHaveLength(75);
    const files = fs.readdirSync(path.join(dir, 'charts')).sort();
    expect(files).toContain('all-all-bed-days.svg');
    expect(files).toContain('practice-Q016-bed-days.png');
    expect(files).toContain('tier-complex-bed-days.csv');
    expect(files).toHaveLength(75);
    expect(seconds).toBeLessThan(20); // ~3–5 s alone; generous for a shared 2-core machine
    db.close();
  });

  it('skips groups with unsafe codes and writes nothing outside charts/', async () => {
    const dir = fixtureOutDir();
    fs.writeFileSync(path.join(dir, 'outcomes', 'trends.json'), JSON.stringify([{ ...groups[3], code: '../../evil' }, all]));
    const db = await fixtureWarehouse(false);
    const r = await chartsStage(stageContext(db, dir));
    expect(r.rows).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'charts')).sort()).toEqual(['all-all-bed-days.csv', 'all-all-bed-days.png', 'all-all-bed-days.svg']);
    expect(fs.existsSync(path.join(dir, '..', 'evil-bed-days.svg'))).toBe(false);
    db.close();
  });

  it('is skipped with a note when outcomes/trends.json is absent', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-charts-'));
    const db = await fixtureWarehouse(false);
    const r = await chartsStage(stageContext(db, dir));
    expect(r.rows).toBe(0);
    expect(r.summary?.skipped).toMatch(/trends\.json absent/);
    expect(fs.existsSync(path.join(dir, 'charts'))).toBe(false);
    db.close();
  });
});
