/**
 * What a newcomer meets: `npm start` serves, SIGTERM to npm stops the bot too (no orphan keeps
 * serving), a busy port names the variable to change, and a broken card template stops the start
 * naming its file and line.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = new URL('../../', import.meta.url).pathname;

function run(command: string, args: string[], env: Record<string, string>, cwd = REPO): { child: ChildProcess; output: Promise<string>; listening: Promise<string> } {
  const child = spawn(command, args, { cwd, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let announce: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolve) => (announce = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
      output += `${line}\n`;
      const url = /"msg":"bot listening"/.test(line) ? (JSON.parse(line) as { url: string }).url : undefined;
      if (url) announce(url);
    });
  }
  const exited = new Promise<string>((resolve) => child.once('exit', () => resolve(output)));
  return { child, output: exited, listening };
}

async function answers(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`).then(
    (response) => response.ok,
    () => false,
  );
}

describe('starting and stopping', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'start-test-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('stops the bot when npm start gets SIGTERM', async () => {
    const bot = run('npm', ['start', '--silent'], { PORT: '0', SIMULATOR_PORT: '0', DATA_DIR: temp() });
    const url = await bot.listening;
    expect(await answers(url)).to.equal(true);
    bot.child.kill('SIGTERM');
    const output = await bot.output;
    expect(output).to.contain('"msg":"shutting down"');
    expect(await answers(url)).to.equal(false);
  });

  it('says which variable to change when the port is busy', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const bot = run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { PORT: String(port), HOST: '127.0.0.1', SIMULATOR_PORT: '0', DATA_DIR: temp() });
      const output = await bot.output;
      expect(bot.child.exitCode).to.equal(2);
      expect(output).to.contain(`port ${port} is already in use: set PORT`);
      expect(output).to.not.match(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('refuses to start with a broken card template, naming its file and line', async () => {
    // A copy of the project whose only difference is one broken template.
    const root = temp();
    for (const entry of ['src', 'cards', 'intents', 'package.json', 'tsconfig.json']) cpSync(join(REPO, entry), join(root, entry), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    writeFileSync(join(root, 'cards/templates/thanks.yaml'), 'text: "不客气{{#if x}}"\n');
    const bot = run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { PORT: '0', SIMULATOR_PORT: '0', DATA_DIR: temp() }, root);
    const output = await bot.output;
    expect(bot.child.exitCode).to.equal(2);
    expect(output).to.match(/templates\/thanks\.yaml:1:1: template text: Parse error/);
  });
});
