import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelAnchor } from '../../src/harness/docs/diagram.js';
import { ensureChromium } from '../support/chromium.js';
import { README_VIEWPORT, SCREENSHOTS, screenshotForReadme, writeExamplePage } from '../support/docs-page.js';

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

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: await ensureChromium(), args: ['--no-sandbox'] });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

describe('docs page in a real browser', () => {
  it('opens offline without errors and draws every topic and function of the example', async () => {
    const file = writeExamplePage();
    const page = await (browser as Browser).newPage({ viewport: README_VIEWPORT });
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
    // recordPayments' Avro topic shows its Avro fields and types, readable as text in its card.
    const avroCard = page.locator(`[id="${channelAnchor('payments.avro')}"]`);
    const avroRows = await avroCard
      .locator('table.schema')
      .first()
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((cell) => cell.textContent)));
    expect(avroRows).toEqual([
      ['orderId', 'string'],
      ['customerId', 'string'],
      ['amountCents', 'long'],
      ['currency', 'string'],
      ['method', 'enum PaymentMethod { CARD, SEPA, WALLET }'],
    ]);
    expect(await avroCard.locator('.badge.format').first().textContent()).toBe('Avro');
    expect(await avroCard.locator('table.schema').first().isVisible()).toBe(true);

    await page.locator('figure').screenshot({ path: join(SCREENSHOTS, 'docs-diagram.png') });
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-page-full.png'), fullPage: true });
    await screenshotForReadme(page, SCREENSHOTS);
    await page.close();

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });
});
