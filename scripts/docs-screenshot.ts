// Regenerates the README's pictures of the docs page (docs/docs-page.png, docs/docs-avro-message.png) from the
// committed asyncapi.yaml, in headless Chromium as the browser test opens it: npm run docs:screenshot.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { ensureChromium } from '../test/support/chromium.js';
import { ROOT } from '../test/support/cli.js';
import { README_VIEWPORT, screenshotForReadme, writeExamplePage } from '../test/support/docs-page.js';

const browser = await chromium.launch({ executablePath: await ensureChromium(), args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: README_VIEWPORT });
  await page.goto(pathToFileURL(writeExamplePage()).href, { waitUntil: 'load' });
  const written = await screenshotForReadme(page, join(ROOT, 'docs'));
  console.log(`wrote ${written.pipeline}\nwrote ${written.avro}`);
} finally {
  await browser.close();
}
