/**
 * Loads the tree-sitter runtime once and each grammar lazily, on first use, with its compiled
 * queries and one parser. A grammar (or query) that fails to load is logged once and reported
 * as unavailable from then on, so that language falls back to plain text context.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Language, Parser, Query } from 'web-tree-sitter';
import type { IDisposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { ContextAssets } from './assets';
import type { GrammarId, GrammarSpec } from './languages';
import { errorMessage } from '../../base/errorText';

export type QueryKind = 'scopes' | 'imports' | 'tags';

export interface LoadedGrammar {
  readonly spec: GrammarSpec;
  readonly language: Language;
  readonly parser: Parser;
  /** Compiled queries; a query that failed to compile is absent (and was logged). */
  readonly queries: Readonly<Partial<Record<QueryKind, Query>>>;
}

/** The runtime is process-wide state in web-tree-sitter: initialise it once per process. */
let runtimeReady: Promise<void> | undefined;

function initRuntime(runtimeWasm: string): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => runtimeWasm });
  return runtimeReady;
}

export class GrammarRegistry implements IDisposable {
  private readonly pending = new Map<GrammarId, Promise<LoadedGrammar | undefined>>();
  private readonly ready = new Map<GrammarId, LoadedGrammar>();
  private runtimeFailed = false;
  private disposed = false;

  constructor(
    private readonly assets: ContextAssets,
    private readonly log: Logger,
  ) {}

  /** The grammar if it has already been loaded (no waiting); for synchronous callers. */
  peek(id: GrammarId): LoadedGrammar | undefined {
    return this.ready.get(id);
  }

  load(spec: GrammarSpec): Promise<LoadedGrammar | undefined> {
    let p = this.pending.get(spec.id);
    if (!p) {
      p = this.loadOnce(spec);
      this.pending.set(spec.id, p);
    }
    return p;
  }

  private async loadOnce(spec: GrammarSpec): Promise<LoadedGrammar | undefined> {
    if (this.runtimeFailed) return undefined;
    try {
      await initRuntime(this.assets.runtimeWasm);
    } catch (err) {
      this.runtimeFailed = true;
      runtimeReady = undefined;
      this.log.error(`tree-sitter runtime failed to load from ${this.assets.runtimeWasm}; using plain text context`, err);
      return undefined;
    }
    let language: Language;
    try {
      language = await Language.load(join(this.assets.grammarDir, spec.wasm));
    } catch (err) {
      this.log.warn(`grammar ${spec.wasm} failed to load (${describe(err)}); ${spec.id} uses plain text context`);
      return undefined;
    }
    if (this.disposed) return undefined;
    const parser = new Parser();
    parser.setLanguage(language);
    const queries: Partial<Record<QueryKind, Query>> = {};
    for (const kind of ['scopes', 'imports', 'tags'] as const) {
      const file = join(this.assets.queriesDir, spec.queries, `${kind}.scm`);
      try {
        queries[kind] = new Query(language, await readFile(file, 'utf8'));
      } catch (err) {
        this.log.warn(`query ${file} unavailable for ${spec.id} (${describe(err)})`);
      }
    }
    const loaded: LoadedGrammar = { spec, language, parser, queries };
    this.ready.set(spec.id, loaded);
    this.log.debug(`loaded grammar ${spec.id}`);
    return loaded;
  }

  dispose(): void {
    this.disposed = true;
    for (const g of this.ready.values()) {
      for (const q of Object.values(g.queries)) q?.delete();
      g.parser.delete();
    }
    this.ready.clear();
    this.pending.clear();
  }
}

function describe(err: unknown): string {
  return errorMessage(err);
}
