/**
 * A terminal progress bar on stderr: redrawn in place on a TTY (at most ~10 times a second),
 * one line per step otherwise (logs stay readable). `done()` ends the line.
 */
export class ProgressBar {
  private lastDraw = 0;
  private lastLabel = '';
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly width = 30) {}

  update(done: number, total: number, label: string): void {
    const tty = this.stream.isTTY === true;
    const now = Date.now();
    if (!tty) {
      if (label !== this.lastLabel) this.stream.write(`${label}\n`);
      this.lastLabel = label;
      return;
    }
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(share * this.width);
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${mb(done)}/${mb(total)} MB ${label}`;
    const cols = this.stream.columns || 100;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, line.length + 2))}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
