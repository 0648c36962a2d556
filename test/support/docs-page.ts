import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { channelAnchor } from '../../src/harness/docs/diagram.js';
import { renderHtmlPage } from '../../src/harness/docs/html.js';
import { ROOT } from './cli.js';

/** Where the browser test writes the page and its screenshots (ignored by git). */
export const SCREENSHOTS = join(ROOT, '.cache/screenshots');

/** The page of the committed asyncapi.yaml (the docs test checks that it is current), written to SCREENSHOTS; returns its path. */
export function writeExamplePage(): string {
  const html = renderHtmlPage(parse(readFileSync(join(ROOT, 'asyncapi.yaml'), 'utf8')));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, 'docs-page.html');
  writeFileSync(file, html);
  return file;
}

/** The viewport the README's screenshots are taken in. */
export const README_VIEWPORT = { width: 1200, height: 900 };

/**
 * The README's two pictures of an opened page: the header and pipeline
 * (`docs-page.png`), and the Avro topic's card with its schema (`docs-avro-message.png`).
 */
export async function screenshotForReadme(page: Page, dir: string): Promise<{ pipeline: string; avro: string }> {
  const figure = await page.locator('figure').boundingBox();
  assert.ok(figure, 'the page has no pipeline figure');
  const pipeline = join(dir, 'docs-page.png');
  await page.screenshot({
    path: pipeline,
    clip: { x: 0, y: 0, width: README_VIEWPORT.width, height: Math.ceil(figure.y + figure.height + 16) },
    fullPage: true,
  });
  const avro = join(dir, 'docs-avro-message.png');
  await page.locator(`[id="${channelAnchor('payments.avro')}"]`).screenshot({ path: avro });
  return { pipeline, avro };
}
