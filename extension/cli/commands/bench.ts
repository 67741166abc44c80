import { benches } from '../bench/index';
import type { CliCommand } from '../command';
import { CliError } from '../errors';

export const benchCommand: CliCommand = {
  summary: 'run a benchmark and print JSON (engine, context, quality, typing, refactor, serve, dataset, image)',
  async run(args, signal) {
    const [name, ...rest] = args;
    const names = Object.keys(benches).sort();
    if (!name || name === '--help' || name === '-h') {
      console.log(`usage: lathe bench <${names.join('|')}> [options] --json`);
      return name ? 0 : 2;
    }
    const bench = benches[name];
    if (!bench) throw new CliError(`unknown benchmark '${name}' (have: ${names.join(', ') || 'none'})`);
    return bench.run(rest, signal);
  },
};
