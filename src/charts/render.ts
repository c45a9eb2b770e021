/** Vega-Lite → Vega → SVG (no browser, no canvas) and SVG → PNG with the bundled font. */
import fs from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { assetsDir } from '../paths.js';

/** The one font every chart uses: bundled, so text renders the same on every machine. */
export const chartFontFamily = 'DejaVu Sans';
export const chartFontFile = path.join(assetsDir, 'fonts', 'DejaVuSans.ttf');

type VgSpec = ReturnType<typeof compile>['spec'];
type Datasets = Record<string, unknown[]>;

/**
 * Compiled Vega specs by the shape of their Vega-Lite spec. Vega-Lite compilation is the slowest step
 * (~70 ms) and charts of one kind differ only in their data and title, so compile once per shape.
 */
const compiled = new Map<string, VgSpec>();

/**
 * Renders a Vega-Lite spec to an SVG string with the headless 'none' renderer.
 * `datasets` fills the spec's named data sources (`data: {name}`); `title` replaces the title text.
 */
export async function renderSvg(spec: TopLevelSpec, datasets: Datasets = {}, title?: string): Promise<string> {
  const key = JSON.stringify(spec);
  let vgSpec = compiled.get(key);
  if (!vgSpec) {
    vgSpec = compile(spec).spec;
    compiled.set(key, vgSpec);
  }
  const filled = structuredClone(vgSpec) as VgSpec & { data?: { name: string; values?: unknown[] }[]; title?: { text?: unknown } };
  for (const d of filled.data ?? []) if (d.name in datasets) d.values = datasets[d.name];
  if (title !== undefined) {
    if (!filled.title || typeof filled.title !== 'object') throw new Error('spec has no title to fill');
    filled.title.text = title;
  }
  const view = new vega.View(vega.parse(filled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function resvgOptions(scale: number): ResvgRenderOptions {
  if (!fs.existsSync(chartFontFile)) throw new Error(`chart font missing: ${chartFontFile}`);
  return {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { fontFiles: [chartFontFile], loadSystemFonts: false, defaultFontFamily: chartFontFamily },
  };
}

/** Renders an SVG to PNG at `scale` × its own size, with only the bundled font (no system fonts). */
export function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, resvgOptions(scale)).render().asPng();
}

/** As svgToPng, on libuv's thread pool, so the next chart's layout can run meanwhile. */
export async function svgToPngAsync(svg: string, scale = 2): Promise<Buffer> {
  return (await renderAsync(svg, resvgOptions(scale))).asPng();
}
