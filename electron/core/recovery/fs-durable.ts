/** Small durable-file helpers shared by the bundle writer, the restore and the off-device copy. */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** writeSync may write less than asked (large buffers, some file systems); this loops until all is written. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done);
  }
}

/** Writes a new file (refuses an existing one), owner-only, and fsyncs it before returning. */
export function writeNewFileDurably(file: string, bytes: Uint8Array): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeAll(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a new or renamed name in `dir` durable. Windows cannot open a folder for fsync; NTFS journals names itself. */
export function syncDirectory(dir: string): void {
  if (process.platform === 'win32') {
    return;
  }
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
