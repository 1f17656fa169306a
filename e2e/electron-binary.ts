import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Electron binary if Electron has downloaded it (it does so on first use), without triggering a download. */
export function electronBinary(): string | null {
  const dir = join(process.cwd(), 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return null;
  }
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
