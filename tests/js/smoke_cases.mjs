// The smoke suite that runs unchanged in Node, Deno, Bun, workerd and Chromium. It uses no
// runtime-specific API (no node:assert, no node:test) so that it can be bundled for a Worker
// or a web page; each runtime's harness imports it and reports the results its own way.

/** What the package exports, in every runtime. */
export const PUBLIC_API = ['errorCodeName', 'init', 'version'];

const RFC_9113_NAMES = [
  'NO_ERROR',
  'PROTOCOL_ERROR',
  'INTERNAL_ERROR',
  'FLOW_CONTROL_ERROR',
  'SETTINGS_TIMEOUT',
  'STREAM_CLOSED',
  'FRAME_SIZE_ERROR',
  'REFUSED_STREAM',
  'CANCEL',
  'COMPRESSION_ERROR',
  'CONNECT_ERROR',
  'ENHANCE_YOUR_CALM',
  'INADEQUATE_SECURITY',
  'HTTP_1_1_REQUIRED',
];

function equal(actual, expected, what) {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * The cases, in the order they must run. `initialisedAtImport` is true where the entry point
 * instantiates the module synchronously (Node, Deno, Bun, workerd) and false in browsers,
 * where `await init()` must come first. `expected.version` is the installed package's version.
 */
export function smokeCases({ initialisedAtImport }) {
  const cases = [
    {
      name: 'exports exactly the public API',
      run(h2) {
        equal(Object.keys(h2).sort().join(', '), PUBLIC_API.join(', '), 'exported names');
      },
    },
    initialisedAtImport
      ? {
          name: 'is ready at import, before init()',
          run(h2) {
            equal(typeof h2.version(), 'string', 'typeof version() before init()');
          },
        }
      : {
          name: 'refuses calls before init() with an error that says to await init()',
          run(h2) {
            let message = null;
            try {
              h2.version();
            } catch (error) {
              message = String(error?.message);
            }
            if (message === null || !message.includes('await init()')) {
              throw new Error(`version() before init() should throw; got message ${message}`);
            }
          },
        },
    {
      name: 'init() resolves, and calling it again or twice at once is harmless',
      async run(h2) {
        equal(await h2.init(), undefined, 'first init()');
        const again = await Promise.all([h2.init(), h2.init()]);
        equal(again.length, 2, 'concurrent init() calls');
        equal(again[0], undefined, 'second init()');
        equal(h2.errorCodeName(0), 'NO_ERROR', 'errorCodeName(0) after repeated init()');
      },
    },
    {
      name: 'version() is the package version',
      run(h2, expected) {
        equal(h2.version(), expected.version, 'version()');
      },
    },
    {
      name: "errorCodeName(1) is 'PROTOCOL_ERROR'",
      run(h2) {
        equal(h2.errorCodeName(1), 'PROTOCOL_ERROR', 'errorCodeName(1)');
      },
    },
    {
      name: 'errorCodeName names the 14 RFC 9113 codes and no others',
      run(h2) {
        RFC_9113_NAMES.forEach((name, code) => equal(h2.errorCodeName(code), name, `code ${code}`));
        for (const code of [14, 0xff, 0xdead, 0xffff_ffff]) {
          equal(h2.errorCodeName(code), undefined, `code ${code}`);
        }
      },
    },
  ];
  return cases;
}

/** Runs the cases in order; returns `[{ name, ok, error }]` and never throws. */
export async function runCases(h2, cases, expected) {
  const results = [];
  for (const c of cases) {
    try {
      await c.run(h2, expected);
      results.push({ name: c.name, ok: true });
    } catch (error) {
      results.push({ name: c.name, ok: false, error: String(error?.message ?? error) });
    }
  }
  return results;
}
