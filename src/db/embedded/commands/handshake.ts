/** Handshake and server-information commands that drivers, mongosh and Compass send. */
import { MAX_BSON_SIZE } from '../bsonValues.js';
import { MAX_MESSAGE_SIZE } from '../wire.js';
import type { Doc } from '../documents.js';
import { badValue } from '../errors.js';
import { ownOptions, type CommandContext } from './context.js';

export const SERVER_VERSION = '7.0.0';
const MAX_WIRE_VERSION = 21;

export function hello(_command: Doc, context: CommandContext): Doc {
  return {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.server.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

export function buildInfo(): Doc {
  return {
    version: SERVER_VERSION,
    gitVersion: 'embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_SIZE,
    storageEngines: ['sqlite'],
    modules: [],
    ok: 1,
  };
}

export function hostInfo(_command: Doc, context: CommandContext): Doc {
  return {
    system: { currentTime: new Date(), hostname: context.server.host, cpuAddrSize: 64, numCores: 1 },
    os: { type: process.platform, name: process.platform },
    extra: {},
    ok: 1,
  };
}

export function serverStatus(_command: Doc, context: CommandContext): Doc {
  const uptimeMs = Date.now() - context.server.startedAt;
  return {
    host: `${context.server.host}:${context.server.port}`,
    version: SERVER_VERSION,
    process: 'embedded',
    pid: process.pid,
    uptime: Math.floor(uptimeMs / 1000),
    uptimeMillis: uptimeMs,
    localTime: new Date(),
    ok: 1,
  };
}

export function getParameter(command: Doc, context: CommandContext): Doc {
  const out: Doc = { ok: 1 };
  const all = command.getParameter === '*';
  if (command.featureCompatibilityVersion !== undefined || all) {
    out.featureCompatibilityVersion = { version: '7.0' };
  }
  const monitor = context.server.ttlMonitor;
  if (monitor && (command.ttlMonitorSleepSecs !== undefined || all)) out.ttlMonitorSleepSecs = monitor.intervalMs() / 1000;
  return out;
}

/** setParameter: ttlMonitorSleepSecs is the one server parameter the store has. */
export function setParameter(command: Doc, context: CommandContext): Doc {
  const { setParameter: _name, ...given } = ownOptions(command, '');
  const names = Object.keys(given);
  if (names.length === 0) throw badValue('no option found to set, use help:true to see options ');
  const reply: Doc = { ok: 1 };
  for (const name of names) {
    const seconds = Number(given[name]);
    const monitor = context.server.ttlMonitor;
    if (name !== 'ttlMonitorSleepSecs' || !monitor) throw badValue(`attempted to set unrecognized parameter [${name}], use help:true to see options `);
    if (!Number.isInteger(seconds) || seconds < 1) throw badValue(`ttlMonitorSleepSecs must be a positive integer, got ${String(given[name])}`);
    reply.was = monitor.intervalMs() / 1000;
    monitor.setIntervalMs(seconds * 1000);
  }
  return reply;
}

export const simpleReplies: Record<string, Doc> = {
  ping: { ok: 1 },
  endSessions: { ok: 1 },
  refreshSessions: { ok: 1 },
  logout: { ok: 1 },
  getCmdLineOpts: { argv: ['embedded'], parsed: {}, ok: 1 },
  connectionStatus: { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 },
  getLog: { totalLinesWritten: 0, log: [], ok: 1 },
  getFreeMonitoringStatus: { state: 'disabled', ok: 1 },
  whatsmyuri: { you: '127.0.0.1', ok: 1 },
  replSetGetStatus: { ok: 0, errmsg: 'not running with --replSet', code: 76, codeName: 'NoReplicationEnabled' },
};
