/**
 * The workspace's definitions by name, built in the background from tags.scm without a
 * language server. Bounded: beyond `maxTags` or `maxFiles` the least recently indexed files
 * are dropped. Building yields to the event loop every few milliseconds and stops on abort.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Tree } from 'web-tree-sitter';
import type { Logger } from '../common/logger';
import type { LoadedGrammar } from './grammarRegistry';
import type { ParserService } from './parserService';
import { uriToPath } from './paths';
import { syntaxEligible } from './syntaxLimits';
import { extractTags, type Tag } from './tags';
import type { WorkspaceSource } from './workspaceSource';
import { errorMessage } from '../../base/errorText';

export interface TagsIndexOptions {
  readonly maxFiles?: number;
  readonly maxTags?: number;
  /** Longest stretch of work between yields to the event loop while building. */
  readonly sliceMs?: number;
  /** Longest parse of one file; longer parses are cancelled and the file skipped. */
  readonly maxParseMs?: number;
}

export interface IndexBuildStats {
  readonly files: number;
  readonly tags: number;
  readonly skipped: number;
  readonly ms: number;
}

export class TagsIndex {
  /** Tags per file path; Map order is indexing recency (oldest first) for eviction. */
  private readonly byFile = new Map<string, readonly Tag[]>();
  private readonly byName = new Map<string, Tag[]>();
  private tagCount = 0;
  private readonly maxFiles: number;
  private readonly maxTags: number;
  private readonly sliceMs: number;
  private readonly maxParseMs: number;

  constructor(
    private readonly parsers: ParserService,
    private readonly log: Logger,
    options: TagsIndexOptions = {},
  ) {
    this.maxFiles = options.maxFiles ?? 10_000;
    this.maxTags = options.maxTags ?? 200_000;
    this.sliceMs = options.sliceMs ?? 8;
    this.maxParseMs = options.maxParseMs ?? 150;
  }

  get fileCount(): number {
    return this.byFile.size;
  }

  get size(): number {
    return this.tagCount;
  }

  /** Definitions named `name`, most recently indexed file last. */
  lookup(name: string): readonly Tag[] {
    return this.byName.get(name) ?? [];
  }

  /** Tags of one file (as indexed). */
  fileTags(uri: string): readonly Tag[] {
    return this.byFile.get(uriToPath(uri)) ?? [];
  }

  /**
   * Parses `text` and replaces the file's tags; returns how many it found, or undefined when
   * the file cannot be parsed (unsupported language, broken grammar, beyond the syntax limits).
   */
  async indexText(uri: string, languageId: string, text: string): Promise<number | undefined> {
    const grammar = await this.parsers.grammarFor(languageId);
    const path = uriToPath(uri);
    if (!grammar || !syntaxEligible(text, this.parsers.limits)) {
      this.removeFile(path);
      return undefined;
    }
    // Bounded: a parse that runs past `maxParseMs` is cancelled and the file skipped, so one
    // pathological file cannot stall the thread the index shares with the editor.
    const deadline = performance.now() + this.maxParseMs;
    const tree = grammar.parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
    if (!tree) {
      grammar.parser.reset();
      this.log.debug(`index: ${path} took over ${this.maxParseMs} ms to parse; skipped`);
      this.removeFile(path);
      return undefined;
    }
    try {
      return this.indexTree(path, grammar, tree, text);
    } finally {
      tree.delete();
    }
  }

  /** Replaces the file's tags from an already parsed tree (an open document's). */
  indexTree(uri: string, grammar: LoadedGrammar, tree: Tree, text: string): number {
    const path = uriToPath(uri);
    const tags = extractTags(grammar, tree, text, path);
    this.setFileTags(path, tags);
    return tags.length;
  }

  removeFile(uri: string): void {
    const path = uriToPath(uri);
    const old = this.byFile.get(path);
    if (!old) return;
    this.byFile.delete(path);
    this.tagCount -= old.length;
    for (const t of old) {
      const list = this.byName.get(t.name);
      if (!list) continue;
      const kept = list.filter((x) => x.uri !== path);
      if (kept.length > 0) this.byName.set(t.name, kept);
      else this.byName.delete(t.name);
    }
  }

  private setFileTags(path: string, tags: readonly Tag[]): void {
    this.removeFile(path);
    this.byFile.set(path, tags);
    this.tagCount += tags.length;
    for (const t of tags) {
      const list = this.byName.get(t.name);
      if (list) list.push(t);
      else this.byName.set(t.name, [t]);
    }
    while ((this.tagCount > this.maxTags || this.byFile.size > this.maxFiles) && this.byFile.size > 1) {
      const oldest = this.byFile.keys().next().value;
      if (oldest === undefined || oldest === path) break;
      this.removeFile(oldest);
    }
  }

  /**
   * Indexes every file of `source`, yielding to the event loop between slices of work.
   * Rejects with the abort reason when `signal` aborts; what was indexed so far stays.
   */
  async build(source: WorkspaceSource, signal: AbortSignal): Promise<IndexBuildStats> {
    const started = performance.now();
    let sliceStart = started;
    let files = 0;
    let skipped = 0;
    for await (const file of source.files(signal)) {
      signal.throwIfAborted();
      let text: string;
      try {
        text = await source.read(file.uri, signal);
      } catch (err) {
        signal.throwIfAborted();
        skipped++;
        this.log.debug(`index: cannot read ${file.uri}: ${errorMessage(err)}`);
        continue;
      }
      if ((await this.indexText(file.uri, file.languageId, text)) !== undefined) files++;
      else skipped++;
      if (performance.now() - sliceStart >= this.sliceMs) {
        await yieldToLoop();
        signal.throwIfAborted();
        sliceStart = performance.now();
      }
    }
    const ms = performance.now() - started;
    this.log.info(`indexed ${files} files, ${this.tagCount} definitions in ${ms.toFixed(0)} ms`);
    return { files, tags: this.tagCount, skipped, ms };
  }
}
