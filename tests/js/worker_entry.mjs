// The Worker that workerd.test.mjs bundles (with the `workerd` export condition) and serves.
// GET /ready answers at once; GET /smoke runs the smoke suite and answers with the results.
import * as h2 from 'h2wasm';
import pkg from 'h2wasm/package.json';
import { runCases, smokeCases } from './smoke_cases.mjs';

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/ready') return new Response('ready');
    if (pathname !== '/smoke') return new Response('not found', { status: 404 });
    const cases = smokeCases({ initialisedAtImport: true });
    const results = await runCases(h2, cases, { version: pkg.version });
    return Response.json({ userAgent: navigator.userAgent, results });
  },
};
