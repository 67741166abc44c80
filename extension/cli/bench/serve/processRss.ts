/**
 * Resident memory of a process and its descendants (the engine runs in a child of `lathe
 * serve`), from /proc on Linux; undefined elsewhere.
 */
import { readFileSync } from 'node:fs';

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** RSS in MB of `pid` and everything it started; undefined when /proc cannot tell. */
export function treeRssMb(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  let kb = 0;
  const queue = [pid];
  try {
    while (queue.length) {
      const p = queue.pop()!;
      kb += rssKb(p);
      queue.push(...children(p));
    }
  } catch {
    if (kb === 0) return undefined;
  }
  return kb / 1024;
}

/** Samples the tree's RSS every `everyMs` until stopped; `max()` is the highest seen. */
export class RssSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, everyMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const mb = treeRssMb(this.pid);
    if (mb !== undefined) this.peak = Math.max(this.peak, mb);
  }

  max(): number | undefined {
    this.sample();
    return this.peak > 0 ? this.peak : undefined;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
