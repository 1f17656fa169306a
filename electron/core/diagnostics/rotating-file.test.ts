import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-workstation';
import { logFilePath, RotatingFile } from './rotating-file';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) {
    rmSync(dir, { recursive: true, force: true });
  }
  dir = undefined;
});

/** Lines of one length, so ten fill a file of ten lines' size exactly. */
const line = (n: number): string => `${JSON.stringify({ n: String(n).padStart(3, '0'), pad: 'x'.repeat(80) })}\n`;

describe('the rotating log file', () => {
  it('appends synchronously: a line is in the file as soon as write returns', () => {
    dir = makeTempDir();
    const file = new RotatingFile(logFilePath(dir));
    file.write(line(1));
    expect(readFileSync(join(dir, 'logs', 'nexis.log'), 'utf8')).toBe(line(1));
  });

  it('rotates at the size cap, keeps the configured number of files, and drops the oldest', () => {
    dir = makeTempDir();
    const maxBytes = line(1).length * 10;
    const file = new RotatingFile(logFilePath(dir), { maxBytes, files: 3 });
    for (let n = 1; n <= 45; n += 1) {
      file.write(line(n));
    }
    const paths = [0, 1, 2, 3].map((n) => file.pathOf(n));
    expect(paths.map((p) => existsSync(p))).toEqual([true, true, true, false]);
    for (const p of paths.slice(0, 3)) {
      expect(statSync(p).size).toBeLessThanOrEqual(maxBytes);
    }
    // 45 lines at 10 a file: 41–45 current, 31–40 and 21–30 rotated, 1–20 dropped.
    const numbers = (p: string) =>
      readFileSync(p, 'utf8')
        .trim()
        .split('\n')
        .map((l) => Number((JSON.parse(l) as { n: string }).n));
    expect(numbers(paths[0] ?? '')).toEqual([41, 42, 43, 44, 45]);
    expect(numbers(paths[2] ?? '')[0]).toBe(21);
    expect(file.tail(7).map((l) => Number((JSON.parse(l) as { n: string }).n))).toEqual([39, 40, 41, 42, 43, 44, 45]);
    expect(file.tail(1000)).toHaveLength(25);
  });

  it('continues an existing file after a restart, counting its size toward the cap', () => {
    dir = makeTempDir();
    const path = logFilePath(dir);
    new RotatingFile(path).write(line(1));
    const maxBytes = line(1).length * 2;
    const reopened = new RotatingFile(path, { maxBytes, files: 2 });
    reopened.write(line(2));
    reopened.write(line(3));
    expect(readFileSync(path, 'utf8')).toBe(line(3));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(line(1) + line(2));
  });

  it('never throws when the file cannot be written; it counts the failure', () => {
    dir = makeTempDir();
    const path = logFilePath(dir);
    const file = new RotatingFile(path);
    rmSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'logs'), 'a file where the folder was');
    expect(() => file.write(line(1))).not.toThrow();
    expect(file.failures).toBe(1);
  });
});
