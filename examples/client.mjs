// An HTTP/2 client on the h2wasm session driver, in Node: fetches one URL and prints the
// response's status, headers and body (then its trailers, if any), like `curl -i`.
//
//   node examples/client.mjs URL [-X METHOD] [-d BODY | -d @FILE] [-H 'name: value']...
//        [-v] [--insecure] [--cacert FILE] [-o FILE] [--timeout MS] [--linger MS]
//        [--window-size N]
//
// `http:` URLs are h2c with prior knowledge; `https:` URLs are TLS with ALPN h2 (the
// certificate is verified: --cacert adds a trusted certificate, --insecure skips the check).
// -v prints, on stderr, the frame trace (one line per frame in or out), the peer's SETTINGS
// and the session's state changes. After the response the client stays connected for
// --linger ms (default 250), answering what the server sends (a PING, say), then closes
// gracefully. The exit code is 0 only when a complete response (headers, body, end of
// stream) arrived, whatever its status; 1 otherwise, with the reason on stderr.

import { createWriteStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { connect, errorCodeName, settingName } from 'h2wasm';
import { flagText } from './lib/frame_names.mjs';

const USAGE = `usage: node examples/client.mjs URL [-X METHOD] [-d BODY | -d @FILE] [-H 'name: value']...
       [-v] [--insecure] [--cacert FILE] [-o FILE] [--timeout MS] [--linger MS] [--window-size N]`;

function fail(message, code = 1) {
  process.stderr.write(`client: ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      request: { type: 'string', short: 'X' },
      data: { type: 'string', short: 'd' },
      header: { type: 'string', short: 'H', multiple: true, default: [] },
      verbose: { type: 'boolean', short: 'v', default: false },
      insecure: { type: 'boolean', short: 'k', default: false },
      cacert: { type: 'string' },
      output: { type: 'string', short: 'o' },
      timeout: { type: 'string', default: '30000' },
      linger: { type: 'string', default: '250' },
      'window-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const { values: args, positionals } = parsed;
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1) fail(USAGE, 2);
const url = positionals[0];
const numberArg = (name) => {
  const n = Number(args[name]);
  if (!Number.isSafeInteger(n) || n < 0) fail(`--${name} needs an integer >= 0, got ${args[name]}`, 2);
  return n;
};
const timeoutMs = numberArg('timeout');
const lingerMs = numberArg('linger');

// ---- the frame trace -------------------------------------------------------------------

const started = performance.now();
const stamp = (at = performance.now() - started) => `[${(at / 1000).toFixed(3).padStart(7)}]`;
const note = (line) => process.stderr.write(`${stamp()} * ${line}\n`);

/** One line per trace record: frames as `send|recv TYPE stream=N length=N flags`. */
function printTrace(record) {
  const at = stamp();
  switch (record.kind) {
    case 'frame': {
      const flags = flagText(record.type, record.flags);
      const dir = record.direction === 'out' ? 'send' : 'recv';
      process.stderr.write(`${at} ${dir} ${record.typeName.padEnd(13)} stream=${record.streamId} length=${record.length}${flags ? ` ${flags}` : ''}\n`);
      break;
    }
    case 'state':
      process.stderr.write(`${at} * session ${record.from ?? 'new'} -> ${record.to}\n`);
      break;
    case 'goaway':
      process.stderr.write(`${at} * GOAWAY ${record.direction} code=${errorCodeName(record.code) ?? record.code} last_stream=${record.lastStreamId}\n`);
      break;
    case 'reset':
      process.stderr.write(`${at} * RST_STREAM stream=${record.streamId} code=${errorCodeName(record.code) ?? record.code} by ${record.initiator}\n`);
      break;
    case 'timeout':
      process.stderr.write(`${at} * timeout ${record.timeout}${record.streamId ? ` stream=${record.streamId}` : ''}\n`);
      break;
    default:
      break;
  }
}

// ---- the request -----------------------------------------------------------------------

const headers = new Headers();
for (const line of args.header) {
  const colon = line.indexOf(':');
  if (colon <= 0) fail(`-H needs 'name: value', got '${line}'`, 2);
  headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
}
let body;
if (args.data !== undefined) body = args.data.startsWith('@') ? readFileSync(args.data.slice(1)) : args.data;
const method = args.request ?? (body === undefined ? 'GET' : 'POST');

const tlsOptions = {};
if (args.insecure) tlsOptions.rejectUnauthorized = false;
if (args.cacert) tlsOptions.ca = readFileSync(args.cacert);
const sessionOptions = args.verbose ? { trace: printTrace } : {};
if (args['window-size'] !== undefined) sessionOptions.initialWindowSize = numberArg('window-size');

const signal = AbortSignal.timeout(timeoutMs);
const describe = (error) => {
  const parts = [`${error?.name ?? 'Error'}: ${error?.message ?? error}`];
  for (let cause = error?.cause; cause; cause = cause.cause) parts.push(`cause: ${cause.message ?? cause}`);
  return parts.join('; ');
};

let session;
try {
  session = await connect(url, { tls: tlsOptions, signal, ...sessionOptions });
} catch (error) {
  fail(`cannot connect to ${url}: ${describe(error)}`);
}
if (args.verbose) {
  session.ready.then(
    () => {
      const settings = [...session.remoteSettings].map(([id, value]) => `${settingName(id) ?? id}=${value}`).join(' ');
      note(`peer SETTINGS: ${settings || '(none)'}`);
    },
    () => {},
  );
}

let complete = false;
try {
  const response = await session.fetch(url, { method, headers, body, signal });
  let head = `HTTP/2 ${response.status}\n`;
  for (const [name, value] of response.rawHeaders) head += `${name}: ${value}\n`;
  process.stdout.write(`${head}\n`);
  const sink = args.output ? createWriteStream(args.output) : process.stdout;
  let last = 0x0a;
  if (response.body) {
    for await (const chunk of response.body) {
      if (chunk.length > 0) last = chunk[chunk.length - 1];
      if (!sink.write(chunk)) await new Promise((resolve) => sink.once('drain', resolve));
    }
  }
  if (args.output) await new Promise((resolve, reject) => sink.end((error) => (error ? reject(error) : resolve())));
  const trailers = [...(await response.trailers)];
  if (trailers.length > 0) {
    let text = last === 0x0a || args.output ? '' : '\n';
    for (const [name, value] of trailers) text += `${name}: ${value}\n`;
    process.stdout.write(text);
  }
  complete = true;
  if (args.verbose) note(`response complete; PING RTT ${(await session.ping(undefined, { timeoutMs: 1000 })).toFixed(2)} ms`);
} catch (error) {
  process.stderr.write(`client: request failed: ${describe(error)}\n`);
}

// Stay a little, answering whatever the server still sends (PING, SETTINGS, GOAWAY), then
// close gracefully (GOAWAY, FIN, the server's FIN).
if (complete && lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, lingerMs));
const info = await session.close({ timeoutMs: 1000 });
if (args.verbose) note(`closed: ${info.initiator}, code ${errorCodeName(info.code) ?? info.code}${info.error ? `, ${describe(info.error)}` : ''}`);
process.exitCode = complete ? 0 : 1;
