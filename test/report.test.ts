import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsStage } from '../src/charts/stage.js';
import { reportStage } from '../src/report/stage.js';
import { page, table, link, raw } from '../src/report/html.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';
import { fixtureOutDir, fixtureWarehouse, stageContext } from './report-fixture.js';

let dir: string;
let db: Warehouse;
const read = (rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');
/** Text with tags removed and entities of digits/dashes left alone (numbers are plain text). */
const pages = ['index.html', 'networks/N001.html', 'networks/N002.html', 'practices/P001.html', 'practices/P002.html', 'practices/P003.html'];

beforeAll(async () => {
  dir = fixtureOutDir();
  db = await fixtureWarehouse();
  await chartsStage(stageContext(db, dir));
  const r = await reportStage(stageContext(db, dir));
  expect(r.outputs).toEqual(pages);
});
afterAll(() => db.close());

describe('report pages from the fixture', () => {
  it('index: data quality, segmentation, model, outcomes, effect and links', () => {
    const html = read('index.html');
    // data-quality.json: inputs, opted out, reject reasons (20/13,530 = 0.15%), opt-out counts and costing
    expect(html).toContain('<td>13,530</td><td>13,500</td><td>20</td><td>10</td><td>0.15</td>');
    expect(html).toContain('opt-outs.csv: 12 patients listed, 10 found in the extracts.');
    expect(html).toMatch(/apc<\/td><td class="text">HRG price<\/td><td>47,000<\/td><td>101,234,567\.50<\/td>/);
    expect(html).toMatch(/point-of-delivery unit cost<\/td><td>1,190<\/td><td>2,345,678\.90<\/td>/);
    expect(html).toContain('schemas/costs/unit_costs.csv (shipped)');
    expect(html).toMatch(/prices\/hrg_2024\.csv<\/td><td>1,450<\/td><td class="text">2024\/25<\/td>/);
    expect(html).toMatch(/DISCHARGE_STATUS<\/td><td>4<\/td>/);
    expect(html).toContain('year_of_birth missing');
    expect(html).toContain('discharge before admission &lt;img src=x&gt;');
    expect(html).toContain('<td>313</td>');
    // segmentation in Symphony's form (values as segmentation.csv publishes them), method and cut points
    expect(html).toMatch(/Complex patients with many conditions<\/td><td>4\.0<\/td><td>540<\/td><td>49\.6<\/td><td>7,410,124<\/td>/);
    expect(html).toMatch(/Mainly healthy<\/td><td>78\.0<\/td><td>10,530<\/td><td>15\.4<\/td><td>2,301,877<\/td>/);
    expect(html).toContain('<td class="text">rank</td>');
    expect(html).toContain('5+ conditions, or 4 conditions and cost &gt;= £3,120');
    // model evaluation with published figures and the link to the full page
    expect(html).toContain('0.783 (95% CI 0.771–0.796)');
    expect(html).toContain('<td>0.662</td>');
    expect(html).toContain('PARR (Billings et al., BMJ 2006)</td><td>0.69</td>');
    expect(html).toContain('SPARRA v4 (Scotland)</td><td>0.80</td>');
    // patient counts from evaluation.json (observed 987, held out 4,050; flagged/true positives 61/38, 19/14, 7/6)
    // published by the HES rule: 985, 4,050; 60/40, 20/15, */*. PPV and sensitivity from the published counts:
    // 40/60 = 0.667 and 40/985 = 0.041; 15/20 = 0.750 and 15/985 = 0.015; blank beside the * (exact 0.623, 0.737, 0.857)
    expect(html).toContain('Observed emergency admissions</td><td>985</td>');
    expect(html).toContain('Held-out patients</td><td>4,050</td>');
    expect(html).toMatch(/<td>50<\/td><td>60<\/td><td>40<\/td><td>0\.667<\/td><td>0\.041<\/td><td>54<\/td><td>≈ 65<\/td>/);
    expect(html).toMatch(/<td>70<\/td><td>20<\/td><td>15<\/td><td>0\.750<\/td><td>0\.015<\/td><td>18<\/td><td>≈ 77<\/td>/);
    expect(html).toMatch(/<td>80<\/td><td>\*<\/td><td>\*<\/td><td><\/td><td><\/td><td>8<\/td><td>≈ 84<\/td>/);
    expect(html).not.toContain('0.737');
    // a table of ratios without counts (the published PARR figures) is shown as given
    expect(html).toMatch(/<td>70<\/td><td>0\.180<\/td><td>0\.770<\/td><\/tr>/);
    expect(html).not.toContain('0.857');
    expect(html).toContain('href="model/evaluation.html"');
    // outcomes: whole population's recent months and networks (suppressed values as given)
    expect(html).toMatch(/emergency admissions<\/td><td>1,200<\/td><td>1,205<\/td><td>1,215<\/td><td>1,220<\/td><td>1,230<\/td><td>1,235<\/td>/);
    expect(html).toMatch(/ae attendances<\/td><td>1,425<\/td><td>\*<\/td>/);
    // bed-day trend: chart inline, links, year on year, months below projection, effect from effect.json
    expect(html).toContain('<figure class="chart"><svg');
    expect(html).toContain('>Whole population: monthly non-elective bed days</text>');
    expect(html).toContain('href="charts/all-all-bed-days.png"');
    expect(html).toContain('href="charts/all-all-bed-days.csv"');
    expect(html).toContain('Apr–May: 1,482 vs 1,313, -11.4%');
    expect(html).toContain('up to the latest month: 11.');
    expect(html).toContain('-11.8% (95% CI -15.2% to -8.1%), p = 0.00042');
    expect(html).toContain('method: segmented regression with month-of-year terms (evaluation/effect.json)');
    expect(html).toContain('Sensitivity check, difference-in-differences with month fixed effects: -13.4% (95% CI -20.0% to -6.3%), p = 0.0021.');
    // links to every network and practice page; none for the unsafe code
    for (const rel of pages.slice(1)) expect(html).toContain(`href="${rel}"`);
    expect(html).not.toContain('EVIL.html');
    expect(html).toContain('../EVIL');
  });

  it('practice page: its metrics beside its network and the population, chart, tier mix', () => {
    const html = read('practices/P001.html');
    expect(html).toContain('<title>Riverside Surgery (P001): practice report</title>');
    // 2025-03 emergency admissions: practice 37 (raw), network 735 and population 1,235 (as published)
    expect(html).toMatch(/emergency admissions<\/td><td>37<\/td><td>735<\/td><td>1,235<\/td>/);
    expect(html).toContain('Riverside Surgery (P001)</th><th>North Network (N001)</th><th>Whole population</th>');
    expect(html).toContain('>Riverside Surgery: monthly non-elective bed days</text>');
    expect(html).toContain('href="../charts/practice-P001-bed-days.png"');
    expect(html).toMatch(/Complex patients with many conditions<\/td><td>4\.2<\/td><td>97<\/td>/);
    expect(html).toContain('href="../index.html"');
    expect(html).toContain('href="../networks/N001.html"');
    expect(html).not.toMatch(/patient_id|pseudo/i);
  });

  it('network page: suppressed counts as given, its practices, chart and tier mix', () => {
    const html = read('networks/N002.html');
    expect(html).toContain('<title>South &amp; &lt;b&gt;West&lt;/b&gt; (N002): network report</title>');
    expect(html).toMatch(/ae attendances<\/td><td>\*<\/td><td>2,425<\/td>/);
    expect(html).toContain('href="../practices/P003.html"');
    expect(html).not.toContain('href="../practices/P001.html"');
    expect(html).toMatch(/Complex patients with many conditions<\/td><td>3\.9<\/td><td>240<\/td>/);
    expect(html).toContain('href="../charts/network-N002-bed-days.csv"');
  });

  it('has no external URLs in any src or href, and no script', () => {
    for (const rel of pages) {
      const html = read(rel);
      expect(html, rel).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/i);
      expect(html, rel).not.toMatch(/<script|<link |<img |@import|url\(/i);
    }
  });

  it('escapes an HTML-injection practice name everywhere', () => {
    for (const rel of pages) expect(read(rel), rel).not.toContain('<script>alert');
    const html = read('practices/P002.html');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co (P002)');
    expect(read('index.html')).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(read('index.html')).not.toContain('<b>West</b>');
  });

  it('is deterministic: a second run writes identical pages', async () => {
    const before = pages.map(read);
    await reportStage(stageContext(db, dir));
    expect(pages.map(read)).toEqual(before);
  });
});

describe('report with absent inputs', () => {
  it('skips each section with a one-line note', async () => {
    const bare = fixtureOutDir(['data-quality.json', 'segmentation.json', 'segmentation.csv', 'segmentation-by-network.csv',
      'segmentation-by-practice.csv', 'model/evaluation.json', 'model/evaluation.html', 'outcomes/monthly.csv',
      'outcomes/trends.json', 'evaluation/effect.json']);
    const empty = await fixtureWarehouse(false);
    const r = await reportStage(stageContext(empty, bare));
    expect(r.outputs).toEqual(['index.html']);
    const html = fs.readFileSync(path.join(bare, 'index.html'), 'utf8');
    expect(html).toContain('Not available: data-quality.json was not written (the ingest stage did not run).');
    expect(html).toContain('Not available: segmentation.csv was not written (the tiers stage did not run).');
    expect(html).toContain('Not available: model/evaluation.json was not written (the risk stage did not run).');
    expect(html).toContain('Not available: outcomes/monthly.csv was not written (the outcomes stage did not run).');
    expect(html).toContain('No bed-day trend for this group');
    expect(html).toContain('the warehouse has no practices table');
    expect(r.summary?.missing).toEqual(['data-quality.json', 'segmentation.csv', 'model/evaluation.json', 'outcomes/monthly.csv',
      'outcomes/trends.json', 'evaluation/effect.json', 'practices table']);
    empty.close();
  });

  it('without charts: the trend facts show, with a note instead of the chart', async () => {
    const noCharts = fixtureOutDir();
    const wh = await fixtureWarehouse();
    await reportStage(stageContext(wh, noCharts));
    const html = fs.readFileSync(path.join(noCharts, 'index.html'), 'utf8');
    expect(html).toContain('Chart not available: the charts stage did not run.');
    expect(html).toContain('1,482 vs 1,313');
    wh.close();
  });
});

describe('html helpers', () => {
  it('page() and table() escape; Html cells are inserted as given', () => {
    expect(table(['a<b', 'n'], [['<i>', 3], [link('x.html?a=1&b=2', 'A & B'), raw('<b>ok</b>')]]))
      .toBe('<table><thead><tr><th>a&lt;b</th><th>n</th></tr></thead><tbody>\n'
        + '<tr><td class="text">&lt;i&gt;</td><td>3</td></tr>\n'
        + '<tr><td class="text"><a href="x.html?a=1&amp;b=2">A &amp; B</a></td><td class="text"><b>ok</b></td></tr>\n</tbody></table>');
    const p = page('T<1>', '<p>x</p>');
    expect(p).toContain('<title>T&lt;1&gt;</title>');
    expect(p).toContain('<p>x</p>');
  });
});
