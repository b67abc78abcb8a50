// The smoke suite in Node (`node --test`), Deno (`deno test`) and Bun (`bun test`), against
// the package installed from its tarball. All three load its synchronous entry point.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as h2 from 'h2wasm';
import { smokeCases } from './smoke_cases.mjs';

const pkgUrl = new URL(import.meta.resolve('h2wasm/package.json'));
const expected = { version: JSON.parse(readFileSync(pkgUrl, 'utf8')).version };

test('the package resolves to its installed node.js entry point', () => {
  const entry = import.meta.resolve('h2wasm');
  if (!entry.endsWith('/node_modules/h2wasm/js/dist/node.js')) {
    throw new Error(`h2wasm resolved to ${entry}`);
  }
});

for (const c of smokeCases({ initialisedAtImport: true, nodeEntry: true })) {
  test(c.name, () => c.run(h2, expected));
}
