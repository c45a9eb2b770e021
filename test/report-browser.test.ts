import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import { chartsStage } from '../src/charts/stage.js';
import { reportStage } from '../src/report/stage.js';
import { fixtureOutDir, fixtureWarehouse, stageContext } from './report-fixture.js';

const executablePath = '/usr/bin/chromium';
const haveChromium = fs.existsSync(executablePath);
// Locally without Chromium the test is skipped; in CI (.ci/run installs it) it must run, and fails if absent.
const skip = !haveChromium && !process.env.CI;
if (skip) console.warn(`report-browser: skipped: ${executablePath} not found (apt-get install chromium); CI runs it`);

describe('report in headless Chromium', () => {
  it.skipIf(skip)('renders index.html with the chart and its text visible, and makes no network request', async () => {
    const dir = fixtureOutDir();
    const db = await fixtureWarehouse();
    await chartsStage(stageContext(db, dir));
    await reportStage(stageContext(db, dir));
    db.close();

    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      const url = 'file://' + path.join(dir, 'index.html');
      await page.goto(url, { waitUntil: 'load' });

      const chart = page.locator('figure.chart svg').first();
      await chart.scrollIntoViewIfNeeded();
      expect(await chart.isVisible()).toBe(true);
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(800);
      expect(box!.height).toBeGreaterThan(350);
      for (const text of ['Whole population: monthly non-elective bed days', 'Month', 'Non-elective bed days', 'Wave 1 starts']) {
        const el = chart.locator('text', { hasText: text }).first();
        expect(await el.isVisible(), text).toBe(true);
        const b = await el.boundingBox();
        expect(b!.width, text).toBeGreaterThan(10); // laid out with a real font, not collapsed
      }
      expect(await page.locator('h2', { hasText: 'Data quality' }).isVisible()).toBe(true);

      const shot = await page.screenshot({ fullPage: true });
      fs.writeFileSync(path.join(dir, 'screenshot.png'), shot);
      expect(shot.readUInt32BE(16)).toBe(1200);             // PNG IHDR width
      expect(shot.readUInt32BE(20)).toBeGreaterThan(2000);   // a long page, all sections laid out
      expect(shot.length).toBeGreaterThan(100_000);          // non-trivial content, not a blank page
      const chartShot = await chart.screenshot();
      expect(chartShot.length).toBeGreaterThan(20_000);

      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
