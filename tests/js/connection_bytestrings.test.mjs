// Header octets: strings are ByteStrings (one code unit per octet, as fetch's Headers),
// bytes go as they are, and received fields come back the same way (or as bytes with
// rawHeaders). Bodies are different: a string body is UTF-8.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as h2 from 'h2wasm';
import * as F from './frames.mjs';
import { ofType, Pair, request } from './pair.mjs';

/** The server's view of a request carrying `extra` fields, sent by a client with `clientOptions`. */
function roundTrip(extra, { clientOptions = {}, serverOptions = {} } = {}) {
  const pair = Pair.open(h2, clientOptions, serverOptions);
  pair.client.sendHeaders(1, request('/', 'GET', extra), true);
  const bytes = pair.client.dataToSend();
  const [req] = ofType(pair.server.receiveData(bytes), 'RequestReceived');
  return { fields: req.headers.slice(4), bytes };
}

function contains(haystack, needle) {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('ByteStrings', () => {
  test('code units 0x80..0xFF are single octets and come back as the same ByteString', () => {
    const value = 'caf\u00e9 \u00ff';
    const { fields, bytes } = roundTrip([['x-latin1', value]], { clientOptions: { validateOutboundHeaders: false } });
    assert.deepEqual(fields, [['x-latin1', value]]);
    // Not Huffman-coded, the value is on the wire as 6 octets, é as 0xE9 (not UTF-8 C3 A9).
    assert.ok(contains(bytes, Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0x20, 0xff)));
  });

  for (const [where, call] of [
    ['a header name', (c) => c.sendHeaders(1, request('/', 'GET', [['x-\u0100', 'v']]))],
    ['a header value', (c) => c.sendHeaders(1, request('/', 'GET', [['x-a', 'snow \u2603']]))],
    ['an object-form header value', (c) => c.sendHeaders(1, { ':method': 'GET', ':path': '/\u20ac', ':scheme': 'http', ':authority': 'a' })],
    ['a ping payload', (c) => c.ping('1234567\u0100')],
    ['GOAWAY additional data', (c) => c.closeConnection(0, '\u{1f600}')],
    ['an ALTSVC field value', (c) => c.advertiseAlternativeService('h2="\u0394"', { origin: 'https://a.test' })],
    ['a PRIORITY_UPDATE field value', (c) => c.sendPriorityUpdate(1, 'u=\u0661')],
    ['an ORIGIN', (c) => c.sendOrigin(['https://\u00fc\u0101.test'])],
  ]) {
    test(`a code unit above 0xFF in ${where} is a TypeError naming it`, () => {
      const conn = new h2.H2Connection();
      conn.initiateConnection();
      assert.throws(() => call(conn), (error) => error instanceof TypeError && /not a ByteString: code unit \d+ at index \d+/.test(error.message));
    });
  }

  test('a code unit above 0xFF in the HTTP2-Settings header is a TypeError', () => {
    const server = new h2.H2Connection({ clientSide: false });
    assert.throws(() => server.initiateUpgradeConnection('AAEA\u0100'), TypeError);
  });

  test('nothing is queued when a header list is refused', () => {
    const conn = new h2.H2Connection();
    assert.throws(() => conn.sendHeaders(1, request('/', 'GET', [['x', '\u0100']])), TypeError);
    assert.equal(conn.outboundBuffered, 0);
    assert.equal(conn.streamState(1), undefined);
  });
});

describe('bytes', () => {
  test('Uint8Array names and values are sent as they are, mixed freely with strings', () => {
    const name = new TextEncoder().encode('x-bytes');
    const value = Uint8Array.of(0x61, 0xfe, 0x62);
    const { fields } = roundTrip([[name, value], ['x-str', Uint8Array.of(0x7a)], [Uint8Array.of(0x78, 0x2d, 0x6f), 'obj']], {
      clientOptions: { validateOutboundHeaders: false },
    });
    assert.deepEqual(fields, [
      ['x-bytes', 'a\u00feb'],
      ['x-str', 'z'],
      ['x-o', 'obj'],
    ]);
  });

  test('with rawHeaders the received octets are exactly the sent ones', () => {
    const value = Uint8Array.of(0x61, 0xfe, 0x62, 0xff);
    const { fields } = roundTrip([['x-raw', value]], { clientOptions: { validateOutboundHeaders: false }, serverOptions: { rawHeaders: true } });
    assert.deepEqual(fields, [[new TextEncoder().encode('x-raw'), value]]);
  });

  test('frames built byte by byte decode to the same ByteStrings', () => {
    const pair = Pair.open(h2, {}, { validateInboundHeaders: false });
    const [req] = pair.server.receiveData(F.headers(1, [...request(), ['x-b', Uint8Array.of(0xc3, 0xa9)]], { endStream: true }));
    // Two octets, two code units: not decoded as UTF-8.
    assert.deepEqual(req.headers[4], ['x-b', '\u00c3\u00a9']);
  });
});

describe('bodies', () => {
  test('a string body is UTF-8, whatever its code units', () => {
    const pair = Pair.open(h2);
    pair.client.sendHeaders(1, request('/', 'POST'));
    pair.client.sendData(1, 'snow \u2603 \u{1f600}', true);
    const data = ofType(pair.toServer(), 'DataReceived')[0].data;
    assert.equal(new TextDecoder().decode(data), 'snow \u2603 \u{1f600}');
    assert.equal(data.length, 5 + 3 + 1 + 4);
  });

  test('sendExtensionFrame payloads are UTF-8 strings or bytes too', () => {
    const pair = Pair.open(h2);
    pair.client.sendExtensionFrame(0xf0, 0, 0, '\u00e9');
    const [e] = pair.toServer();
    assert.deepEqual([...e.frame.payload], [0xc3, 0xa9]);
  });
});
