// The smoke suite in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// from pages served by a Node static server on 127.0.0.1. Two ways of loading the package:
//   - bundled: esbuild bundles browser_entry.mjs with the `browser` export condition;
//   - unbundled: the browser imports the package's files directly, through an import map
//     that points `h2wasm` at the entry named by the package's `browser` export condition.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { smokeCases } from './smoke_cases.mjs';
import { installedPackageDir, serveStatic } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const consumer = join(here, '..', '..'); // tests/js/ sits two levels below the consumer's root
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const PAGE_TIMEOUT_MS = 15_000;

const pkgDir = installedPackageDir();
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const cases = smokeCases({ initialisedAtImport: false });
const variants = ['bundled', 'unbundled'];
const answers = {};
let workdir;
let server;
let browser;

function page(title, importMap, script) {
  const map = importMap ? `<script type="importmap">${JSON.stringify(importMap)}</script>` : '';
  // The empty icon keeps Chromium from asking for /favicon.ico.
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title>${map}
<script type="module" src="${script}"></script>\n`;
}

before(async () => {
  workdir = mkdtempSync(join(consumer, '.chromium-'));
  const dirUrl = `/${relative(consumer, workdir)}`;

  // bundled: the page and bundle sit together; browser.js finds the wasm at ./wasm/ beside it.
  await build({
    entryPoints: [join(here, 'browser_entry.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outfile: join(workdir, 'app.js'),
    logLevel: 'warning',
  });
  mkdirSync(join(workdir, 'wasm'));
  copyFileSync(join(pkgDir, 'js/dist/wasm/h2wasm_bg.wasm'), join(workdir, 'wasm/h2wasm_bg.wasm'));
  writeFileSync(join(workdir, 'bundled.html'), page('bundled', null, 'app.js'));

  // unbundled: the installed files as they are, served from the consumer's node_modules.
  const browserEntry = pkg.exports['.'].browser;
  const imports = { h2wasm: `/${relative(consumer, join(pkgDir, browserEntry))}` };
  writeFileSync(
    join(workdir, 'unbundled.html'),
    page('unbundled', { imports }, `/${relative(consumer, join(here, 'browser_entry.mjs'))}`),
  );

  server = await serveStatic(consumer);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const variant of variants) {
    const tab = await browser.newPage();
    const problems = [];
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    tab.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.url()}: HTTP ${r.status()}`);
      if (r.url().endsWith('.wasm') && r.headers()['content-type'] !== 'application/wasm') {
        problems.push(`${r.url()} served as ${r.headers()['content-type']}`);
      }
    });
    await tab.goto(`${server.url}${dirUrl}/${variant}.html?version=${pkg.version}`);
    await tab.waitForFunction(() => globalThis.smokeResults !== undefined, null, {
      timeout: PAGE_TIMEOUT_MS,
    });
    const results = await tab.evaluate(() => globalThis.smokeResults);
    answers[variant] = { results, problems, userAgent: await tab.evaluate(() => navigator.userAgent) };
    await tab.close();
  }
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

for (const variant of variants) {
  test(`${variant}: the page runs in headless Chromium without errors or warnings`, () => {
    const { userAgent, problems } = answers[variant];
    if (!/HeadlessChrome\//.test(userAgent)) throw new Error(`navigator.userAgent is ${userAgent}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });
  cases.forEach((c, i) => {
    test(`${variant}: ${c.name}`, () => {
      const result = answers[variant].results[i];
      if (result?.name !== c.name) throw new Error(`no result for this case: ${JSON.stringify(result)}`);
      if (!result.ok) throw new Error(result.error);
    });
  });
}

