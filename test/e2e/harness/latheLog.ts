/** The "Lathe" log channel as VS Code writes it to disk (every line, not just the visible ones). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function latheLog(userDataDir: string): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.log') && name.includes('Lathe')) files.push(p);
    }
  };
  const logs = join(userDataDir, 'logs');
  if (existsSync(logs)) walk(logs);
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}
