// Server push through H2Session: the server promises and answers a pushed stream, the client
// receives it through `onpush`, may refuse it (returning false), and a client without a push
// handler disables push altogether.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, H2StreamResetError, H2UsageError } from 'h2wasm';
import { readAll, req, sessionPair, settle } from './session_support.mjs';

const text = (bytes) => new TextDecoder().decode(bytes);

test('a pushed response travels from server.push() to the client onpush handler', async (t) => {
  const pushedStreams = [];
  const { client } = await sessionPair({
    after: t,
    client: {
      onpush(pushed, parent) {
        pushedStreams.push({ pushed, parent });
      },
    },
    server: {
      async onstream(stream) {
        const pushed = stream.push({ method: 'GET', path: '/style.css', headers: [['accept', 'text/css']] });
        assert.equal(pushed.pushed, true);
        assert.equal(pushed.id % 2, 0, 'a server-initiated (even) id');
        stream.respond(200, [['content-type', 'text/html']]);
        await stream.write('<link rel=stylesheet href=/style.css>');
        await stream.end();
        pushed.respond(200, [['content-type', 'text/css']]);
        await pushed.write('body { color: red }');
        await pushed.end();
      },
    },
  });
  const stream = client.request(req('/index.html'));
  assert.equal(text(await readAll(stream.readable)), '<link rel=stylesheet href=/style.css>');
  await settle();
  assert.equal(pushedStreams.length, 1);
  const { pushed, parent } = pushedStreams[0];
  assert.equal(parent, stream);
  assert.equal(pushed.pushed, true);
  assert.equal(pushed.request.path, '/style.css');
  assert.equal(pushed.request.method, 'GET');
  assert.equal(pushed.request.authority, 'example.test', 'the authority of the parent request');
  assert.deepEqual(pushed.request.headers, [['accept', 'text/css']]);
  const response = await pushed.response;
  assert.equal(response.status, 200);
  assert.deepEqual(response.headers, [['content-type', 'text/css']]);
  assert.equal(text(await readAll(pushed.readable)), 'body { color: red }');
  await assert.rejects(pushed.write('x'), H2UsageError, 'a pushed stream has no request body');
});

test('a client refuses a push by returning false: the server sees the reset (CANCEL)', async (t) => {
  let serverPushed;
  const { client } = await sessionPair({
    after: t,
    client: { onpush: () => false },
    server: {
      onstream(stream) {
        serverPushed = stream.push([[':method', 'GET'], [':path', '/unwanted']]);
        stream.respond(200, [], { endStream: true });
      },
    },
  });
  const stream = client.request(req('/'));
  await stream.response;
  await assert.rejects(serverPushed.closed, (e) => e instanceof H2StreamResetError && e.code === ErrorCodes.CANCEL && e.initiator === 'remote');
});

test('a client without a push handler disables push: server.push() throws', async (t) => {
  let failure;
  const { client } = await sessionPair({
    after: t,
    server: {
      onstream(stream) {
        try {
          stream.push({ path: '/nope' });
        } catch (error) {
          failure = error;
        }
        stream.respond(204, [], { endStream: true });
      },
    },
  });
  assert.equal(client.localSettings.enablePush, 0);
  await client.request(req('/')).response;
  assert.ok(failure instanceof H2UsageError, `got ${failure}`);
});
