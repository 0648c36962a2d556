import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GrowthPlot, growthPlots, writeGrowthPlots } from '../../bench/growth/plot.js';
import { ensureChromium } from '../support/chromium.js';
import { ROOT } from '../support/cli.js';
import { syntheticGrowthCurves } from '../support/growth-curves.js';

const RESULTS = join(ROOT, 'bench/RESULTS.md');

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: await ensureChromium(), args: ['--no-sandbox'] });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens a page that reports console errors and any request that is not the page itself or inline data. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await (browser as Browser).newPage({ viewport: { width: 900, height: 600 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  return { page, problems };
}

/** The plot opened as a document: its size, its texts and the drawn length of each stroked path, by colour. */
async function readSvgDocument(file: string) {
  const { page, problems } = await openPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // The page functions run in Chromium; this project's typecheck has no DOM types, so their elements stay untyped.
  const drawn = await page.locator(':root').evaluate((root) => {
    const box = root.getBoundingClientRect();
    const texts: string[] = [...root.querySelectorAll('text')].map((t) => t.textContent ?? '');
    const strokes: Record<string, number> = {};
    for (const path of root.querySelectorAll('path')) {
      const stroke = path.getAttribute('stroke');
      if (!stroke || path.getAttribute('fill') !== 'none') continue;
      strokes[stroke] = (strokes[stroke] ?? 0) + path.getTotalLength();
    }
    return { tag: root.tagName, width: box.width, height: box.height, texts, strokes };
  });
  await page.close();
  return { ...drawn, problems };
}

/**
 * The plot as Markdown viewers show it, an <img>: drawn onto a canvas, how many pixels are close to each colour.
 * (Inline data: a file:// image would taint the canvas.)
 */
async function countPixelsAsImage(svg: string, colors: readonly string[]) {
  const { page, problems } = await openPage();
  await page.setContent(`<img id="plot" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`);
  const plot = page.locator('#plot');
  await plot.evaluate((image) => image.decode());
  const counted = await plot.evaluate((image, wanted: readonly string[]) => {
    const canvas = image.ownerDocument.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const rgb = wanted.map((hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)));
    const byColor = wanted.map(() => 0);
    let inked = 0;
    for (let p = 0; p < data.length; p += 4) {
      const [r, g, b] = [data[p] as number, data[p + 1] as number, data[p + 2] as number];
      if (r + g + b < 720) inked++;
      rgb.forEach(([cr, cg, cb], i) => {
        if (Math.abs(r - (cr as number)) + Math.abs(g - (cg as number)) + Math.abs(b - (cb as number)) < 40)
          byColor[i] = (byColor[i] ?? 0) + 1;
      });
    }
    return { width: image.naturalWidth, height: image.naturalHeight, inked, byColor, pixels: data.length / 4 };
  }, colors);
  await page.close();
  return { ...counted, problems };
}

async function expectRenders(file: string, plot: GrowthPlot | undefined) {
  const doc = await readSvgDocument(file);
  expect(doc.problems).toEqual([]);
  expect(doc.tag.toLowerCase()).toBe('svg');
  expect(doc.width).toBe(760);
  expect(doc.height).toBe(520);
  for (const label of ['records per invocation', 'µs per record (median)', '1', '100', '10,000']) expect(doc.texts).toContain(label);
  // The long strokes (the data lines and the axes; not the grid, the legend icons or the tick marks), by colour.
  const lineColors = Object.entries(doc.strokes)
    .filter(([color, length]) => length > 300 && color.toLowerCase() !== '#e6e6e6')
    .map(([color]) => color);
  expect(lineColors.length, 'no line drawn').toBeGreaterThanOrEqual(2);
  if (plot) {
    for (const s of plot.series) expect(doc.texts, `legend entry ${s.name}`).toContain(s.name);
    for (const color of new Set(plot.series.map((s) => s.color))) expect(lineColors, `the lines in ${color}`).toContain(color);
  }
  const image = await countPixelsAsImage(readFileSync(file, 'utf8'), lineColors);
  expect(image.problems).toEqual([]);
  expect([image.width, image.height]).toEqual([760, 520]);
  // Ink (axes, text, lines) covers some of the image but not all of it: a blank or a black box fails.
  expect(image.inked / image.pixels).toBeGreaterThan(0.01);
  expect(image.inked / image.pixels).toBeLessThan(0.5);
  for (const [i, color] of lineColors.entries()) expect(image.byColor[i], `pixels of ${color}`).toBeGreaterThan(150);
}

describe('growth plots in a real browser', () => {
  it('a plot the growth bench draws renders in Chromium: axes, legend, a line per series in its colour', async () => {
    const plots = growthPlots(syntheticGrowthCurves());
    const dir = mkdtempSync(join(tmpdir(), 'growth-plots-e2e-'));
    const wanted = [plots[1], plots[4]] as GrowthPlot[]; // a CPU plot and the broker plot
    const files = writeGrowthPlots(wanted, dir);
    for (const [i, file] of files.entries()) await expectRenders(file, wanted[i]);
  });

  it('every plot bench/RESULTS.md links to is there and renders in Chromium', async () => {
    const links = [...readFileSync(RESULTS, 'utf8').matchAll(/\]\((plots\/[^)]+\.svg)\)/g)].map((m) => m[1] as string);
    expect(links.length, 'bench/RESULTS.md links no growth plot').toBeGreaterThanOrEqual(5);
    for (const link of links) {
      const file = resolve(dirname(RESULTS), link);
      expect(existsSync(file), `${link} is linked but missing`).toBe(true);
      await expectRenders(file, undefined);
    }
  });
});
