import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderHtmlPage } from '../../src/harness/docs/html.js';
import { ensureChromium } from '../support/chromium.js';
import { ROOT } from '../support/cli.js';

// The example app as serverless.yml and functions/topics.ts declare it, written out here on purpose.
const FUNCTIONS = ['validateOrders', 'reserveStock', 'notifyCustomers', 'recordPayments'];
const TOPICS = [
  'orders.placed',
  'orders.validated',
  'orders.rejected',
  'stock.reserved',
  'notifications.email',
  'notifications.sms',
  'payments.avro',
  'payments.recorded',
];
const DEAD_LETTER_TOPICS = ['orders.placed.DLT', 'payments.avro.DLT'];
const ON_FAILURE_TOPICS = ['orders.placed.failed', 'orders.validated.failed', 'stock.reserved.failed', 'payments.avro.failed'];
const SCREENSHOTS = join(ROOT, '.cache/screenshots');

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: await ensureChromium(), args: ['--no-sandbox'] });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

describe('docs page in a real browser', () => {
  it('opens offline without errors and draws every topic and function of the example', async () => {
    // The committed document (the docs test checks that it is current).
    const html = renderHtmlPage(parse(readFileSync(join(ROOT, 'asyncapi.yaml'), 'utf8')));
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, 'docs-page.html');
    writeFileSync(file, html);

    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const nodes = await page.locator('svg.pipeline [data-node]').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return {
          id: element.getAttribute('data-node'),
          label: element.querySelector('text')?.textContent,
          width: box.width,
          height: box.height,
        };
      }),
    );
    expect(nodes.length, 'the diagram is empty').toBeGreaterThan(0);
    const topics = [...TOPICS, ...DEAD_LETTER_TOPICS, ...ON_FAILURE_TOPICS];
    expect(nodes.map((node) => node.id).sort()).toEqual(
      [...FUNCTIONS.map((f) => `function:${f}`), ...topics.map((t) => `topic:${t}`)].sort(),
    );
    expect(nodes.map((node) => node.label).sort()).toEqual([...FUNCTIONS, ...topics].sort());
    for (const node of nodes) expect(node.width * node.height, `${node.id} is not drawn`).toBeGreaterThan(100);

    const edges = await page.locator('svg.pipeline path.edge').evaluateAll((elements) =>
      elements.map((element) => ({
        to: element.getAttribute('data-to'),
        dashed: (element.ownerDocument.defaultView?.getComputedStyle(element).strokeDasharray ?? 'none') !== 'none',
        length: (element as unknown as { getTotalLength(): number }).getTotalLength(),
      })),
    );
    // 4 triggers, 6 publishers (validated, rejected, reserved, email, sms, payments.recorded), 2 dead-letter topics, 4 on-failure destinations.
    expect(edges.length).toBe(16);
    for (const edge of edges) expect(edge.length).toBeGreaterThan(10);
    const dashedTargets = edges.filter((edge) => edge.dashed).map((edge) => edge.to);
    expect(dashedTargets.sort()).toEqual([...DEAD_LETTER_TOPICS, ...ON_FAILURE_TOPICS].map((t) => `topic:${t}`).sort());

    // Every box links to its section.
    for (const anchor of await page.locator('svg.pipeline a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      expect(await page.locator(`[id="${anchor?.slice(1)}"]`).count(), `${anchor} has no section`).toBe(1);
    }
    await page.locator('figure').screenshot({ path: join(SCREENSHOTS, 'docs-diagram.png') });
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-page.png'), fullPage: true });
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });
});
