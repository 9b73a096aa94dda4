/** Test helper: a throw-away cards/ directory written from a map of relative path → content. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempCards {
  dir: string;
  write(path: string, content: string): void;
  remove(): void;
}

export function tempCards(files: Record<string, string>): TempCards {
  const dir = mkdtempSync(join(tmpdir(), 'cards-'));
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(path, content);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
