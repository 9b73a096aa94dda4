/** Handshake and server-information commands that drivers, mongosh and Compass send. */
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire.js';
import type { Doc } from '../documents.js';
import type { CommandContext } from './context.js';

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

export function getParameter(command: Doc): Doc {
  const out: Doc = { ok: 1 };
  if (command.featureCompatibilityVersion !== undefined || command.getParameter === '*') {
    out.featureCompatibilityVersion = { version: '7.0' };
  }
  return out;
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
