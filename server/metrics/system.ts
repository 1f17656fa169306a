/**
 * Disk and memory headroom, read at scrape time: the filesystems holding the server's folders (fs.statfs), and the
 * memory the process may use (the cgroup limit a container runtime sets, else the host's memory), so alerts can
 * compare usage against 80 % of each.
 */
import { readFile, statfs } from 'node:fs/promises';
import { totalmem } from 'node:os';

export interface Volume {
  /** A fixed label value (`data`, `updates`), never the path. */
  readonly name: string;
  readonly path: string;
}

export interface DiskUsage {
  readonly volume: string;
  readonly total: number;
  /** Available to an unprivileged process (what the server can still write). */
  readonly free: number;
  readonly used: number;
}

/** Volumes whose folder does not exist (yet) are left out rather than reported as empty. */
export async function diskUsage(volumes: readonly Volume[]): Promise<DiskUsage[]> {
  const out: DiskUsage[] = [];
  for (const volume of volumes) {
    try {
      const s = await statfs(volume.path);
      out.push({
        volume: volume.name,
        total: s.blocks * s.bsize,
        free: s.bavail * s.bsize,
        used: (s.blocks - s.bfree) * s.bsize,
      });
    } catch {
      // Missing or unreadable: no series for this volume.
    }
  }
  return out;
}

/** cgroup v2 then v1; "max" (v2) or a v1 sentinel near 2^63 mean no limit. */
const CGROUP_LIMITS = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];
const NO_LIMIT = 2 ** 60;

export async function memoryLimit(files: readonly string[] = CGROUP_LIMITS): Promise<number> {
  const host = totalmem();
  for (const file of files) {
    try {
      const text = (await readFile(file, 'utf8')).trim();
      const value = Number(text);
      if (/^\d+$/.test(text) && value > 0 && value < NO_LIMIT) {
        return Math.min(value, host);
      }
    } catch {
      // Not in a cgroup that limits memory (or not on Linux).
    }
  }
  return host;
}
