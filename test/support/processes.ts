/**
 * Bots and stores as child processes, as they run in production: `src/main.ts` (what `npm start`
 * runs) and the embedded store on its own (what `npm run mongo` runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const REPO = new URL('../../', import.meta.url).pathname;

export interface ChildBot {
  child: ChildProcess;
  url: string;
}

/** Starts the bot (with `nodeOptions` before its script) and resolves with its URL once it logs 'bot listening'. */
export function spawnBot(env: Record<string, string>, startTimeoutMs = 30_000, nodeOptions: string[] = []): Promise<ChildBot> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'src/main.ts'], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not left running behind the failed test.
      child.kill('SIGKILL');
      reject(new Error(`bot did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code) => reject(new Error(`bot exited early with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'bot listening' && entry.url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: entry.url });
      }
    });
    child.stderr?.resume();
  });
}

/** Starts `npm run mongo`'s program on a free port and resolves with its connection string. */
export function spawnStore(dbpath: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/embedded/cli.ts', '--port', '0', '--dbpath', dbpath], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`store exited early with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('mongodb://')) return;
      child.removeAllListeners('exit');
      resolve({ child, uri: line.trim() });
    });
  });
}

/** Stops a child (SIGKILL when `hard`) and waits for it to exit. */
export async function stopChild(child: ChildProcess | undefined, hard = false): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(hard ? 'SIGKILL' : 'SIGTERM');
  await exited;
}
