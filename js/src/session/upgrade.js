// Starting an engine for a session: prior knowledge (`initiateConnection`) or an h2c upgrade
// (`initiateUpgradeConnection`), in which case stream 1 is the HTTP/1.1 request that asked
// for the upgrade: half-closed (remote) on the server, half-closed (local) on the client.

import { H2Connection } from '../connection.js';
import { H2UsageError } from '../errors.js';
import { headerList } from './headers.js';
import { engineConfig, sessionOptions } from './options.js';

/** The HTTP2-Settings value of a client with `options`: the SETTINGS it would send. */
export function upgradeSettings(options = {}) {
  const engine = new H2Connection(engineConfig('client', sessionOptions('client', options)));
  try {
    return engine.initiateUpgradeConnection();
  } finally {
    engine.free();
  }
}

/**
 * Queues the preface (client) and SETTINGS. `upgrade` is null, or `{ settings, request }`
 * (`settings`: the HTTP2-Settings value, given by the client's caller to be checked, or
 * received by the server). Returns the description of the upgraded request for stream 1, or
 * null.
 */
export function initiate(engine, role, upgrade) {
  if (upgrade === null) {
    engine.initiateConnection();
    return null;
  }
  if (role === 'server') {
    if (typeof upgrade.settings !== 'string' && !(upgrade.settings instanceof Uint8Array)) {
      throw new H2UsageError('serverFromUpgrade needs the HTTP2-Settings header value', { initiator: 'local' });
    }
    engine.initiateUpgradeConnection(upgrade.settings);
  } else {
    const header = engine.initiateUpgradeConnection();
    if (upgrade.settings !== undefined && upgrade.settings !== header) {
      throw new H2UsageError('http2Settings differs from what these options send: use H2Session.upgradeSettings(options)', {
        initiator: 'local',
      });
    }
  }
  const r = upgrade.request ?? {};
  return {
    method: r.method ?? 'GET',
    scheme: r.scheme ?? 'http',
    authority: r.authority,
    path: r.path ?? '/',
    protocol: undefined,
    headers: headerList(r.headers).map(([name, value]) => [String(name).toLowerCase(), String(value)]),
  };
}
