// A client and a server H2Connection joined in memory: what one writes, the other reads.
// No runtime-specific API and no import of the package (the caller passes the module), so
// the smoke suite can use it in every runtime.

/** Hands `from`'s pending output to `to`; returns `to`'s events ([] when nothing was pending). */
export function transfer(from, to) {
  const bytes = from.dataToSend();
  return bytes.length === 0 ? [] : to.receiveData(bytes);
}

export class Pair {
  /**
   * A client and a server built from `h2.H2Connection` with the given options (the server
   * gets `clientSide: false`), both `initiateConnection()`ed and handshaken: SETTINGS and
   * their ACKs exchanged. `handshake` holds the events each side saw meanwhile.
   */
  static open(h2, clientOptions = {}, serverOptions = {}) {
    const pair = new Pair(
      new h2.H2Connection({ ...clientOptions, clientSide: true }),
      new h2.H2Connection({ ...serverOptions, clientSide: false }),
    );
    pair.client.initiateConnection();
    pair.server.initiateConnection();
    pair.handshake = pair.settle();
    return pair;
  }

  constructor(client, server) {
    this.client = client;
    this.server = server;
    this.handshake = { client: [], server: [] };
  }

  /** Client output to the server; the server's events. */
  toServer() {
    return transfer(this.client, this.server);
  }

  /** Server output to the client; the client's events. */
  toClient() {
    return transfer(this.server, this.client);
  }

  /**
   * Moves bytes both ways until neither side has output. After each delivery the receiving
   * side's handler (`onClient(events)` / `onServer(events)`) may issue commands, whose output
   * moves on in the next round. Returns every event each side saw, in order.
   */
  settle({ onClient, onServer, maxRounds = 10_000 } = {}) {
    const seen = { client: [], server: [] };
    for (let round = 0; round < maxRounds; round++) {
      if (this.client.outboundBuffered === 0 && this.server.outboundBuffered === 0) return seen;
      const atServer = this.toServer();
      seen.server.push(...atServer);
      if (atServer.length > 0) onServer?.(atServer);
      const atClient = this.toClient();
      seen.client.push(...atClient);
      if (atClient.length > 0) onClient?.(atClient);
    }
    throw new Error(`the pair did not settle in ${maxRounds} rounds`);
  }

  free() {
    this.client.free();
    this.server.free();
  }
}

/** The events of one type. */
export function ofType(events, type) {
  return events.filter((e) => e.type === type);
}

/** Request headers: `method` (GET) on `path` (`/`), then the `extra` fields. */
export function request(path = '/', method = 'GET', extra = []) {
  return [[':method', method], [':path', path], [':scheme', 'http'], [':authority', 'example.test'], ...extra];
}
