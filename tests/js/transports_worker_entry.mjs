// The Worker of transports_workerd.test.mjs (bundled with the `workerd` export condition):
// it connects with `connect()` from cloudflare:sockets to servers that the Node test process
// runs on 127.0.0.1 (their ports are in the query string) and runs each case through
// fromCloudflareSocket. GET /ready answers at once; GET /run answers with the results.
import { connect } from 'cloudflare:sockets';
import * as h2 from 'h2wasm';
import { assertSameBytes, engineGet, pattern, readToEnd, writeInChunks } from './transport_helpers.mjs';

const MB = 1024 * 1024;
const text = (bytes) => new TextDecoder().decode(bytes);


function open(port, options = {}) {
  return h2.fromCloudflareSocket(connect({ hostname: '127.0.0.1', port }, options), options);
}

const cases = {
  '1 MB echoed with half-close': async (ports) => {
    const transport = await open(ports.echo, { allowHalfOpen: true });
    const data = pattern(MB, 41);
    const writer = transport.writable.getWriter();
    const [, back] = await Promise.all([
      writeInChunks(writer, data).then(() => writer.close()),
      readToEnd(transport.readable.getReader()),
    ]);
    assertSameBytes(back.bytes, data, 'echoed bytes');
    await transport.closed;
    return { capabilities: transport.capabilities, info: transport.info };
  },
  'half-close: the reply after our EOF arrives': async (ports) => {
    const transport = await open(ports.afterEof, { allowHalfOpen: true });
    const writer = transport.writable.getWriter();
    await writer.write(pattern(100_000, 42));
    await writer.close();
    return text((await readToEnd(transport.readable.getReader())).bytes);
  },
  'allowHalfOpen false: halfClose false': async (ports) => {
    const transport = await open(ports.echo);
    const capabilities = transport.capabilities;
    await transport.close();
    return capabilities;
  },
  'HTTP/2 GET /big from node:http2 (h2c, prior knowledge)': async (ports) => {
    const transport = await open(ports.h2, { allowHalfOpen: true });
    const response = await engineGet(h2.H2Connection, transport, { authority: `127.0.0.1:${ports.h2}`, path: '/big' });
    assertSameBytes(response.body, pattern(300_000, 14), 'the body');
    return { status: response.status, length: response.body.length, engineState: response.engineState };
  },
  'close(): the streams error with ERR_TRANSPORT_CLOSED, closed resolves': async (ports) => {
    const transport = await open(ports.echo, { allowHalfOpen: true });
    const pending = transport.readable.getReader().read().then(() => null, (error) => error);
    await transport.close();
    const code = (await pending)?.code;
    await transport.closed;
    return code;
  },
  'read backpressure: nothing read for 1 s, then everything': async (ports) => {
    const transport = await open(ports.pump, { allowHalfOpen: true });
    await new Promise((r) => setTimeout(r, 1000));
    const back = await readToEnd(transport.readable.getReader());
    assertSameBytes(back.bytes, pattern(64 * MB, 43), 'bytes read');
    await transport.writable.close();
    return back.bytes.length;
  },
  'a refused connection rejects': async (ports) => {
    try {
      await open(ports.closed);
    } catch (error) {
      return `rejected: ${error?.message ?? error}`;
    }
    return 'resolved';
  },
};

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/ready') return new Response('ready');
    if (url.pathname !== '/case') return new Response('not found', { status: 404 });
    const { name, ...ports } = Object.fromEntries(url.searchParams);
    const run = cases[name];
    if (!run) return new Response(`no case ${name}`, { status: 404 });
    try {
      const value = await run(Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, Number(v)])));
      return Response.json({ ok: true, value, userAgent: navigator.userAgent });
    } catch (error) {
      return Response.json({ ok: false, error: `${error?.code ?? ''} ${error?.stack ?? error}` });
    }
  },
};
