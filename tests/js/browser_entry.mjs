// The page script that chromium.test.mjs loads, once bundled by esbuild (the `browser` export
// condition) and once unbundled through an import map. It runs the smoke suite and leaves the
// results in `globalThis.smokeResults`.
import * as h2 from 'h2wasm';
import { runCases, smokeCases } from './smoke_cases.mjs';

const expected = { version: new URL(location.href).searchParams.get('version') };
globalThis.smokeResults = runCases(h2, smokeCases({ initialisedAtImport: false }), expected);
