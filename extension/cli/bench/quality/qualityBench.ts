/**
 * `lathe bench quality`: line-completion exact match of a model against a 4-gram baseline on
 * the same positions. For N seeded cursor positions in the given files (line start and
 * mid-line), the model fills in the middle with prefix/suffix only (`--context plain`) or
 * through the completion pipeline with the context engine (`--context full`), and must
 * reproduce the rest of the line exactly.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { intFlag, parseFlags, requireFlag } from '../../args';
import type { CliCommand } from '../../command';
import { CliError } from '../../errors';
import { DTYPE_CHOICES } from '../../../core/models/onnxFiles';
import { readTokenizerFolder, type ModelTokenizer } from '../../../core/models/tokenizer';
import { readListedSources } from '../fileList';
import { NgramModel } from './ngram';
import { lineMatches, samplePositions, type QualitySample, type SourceFile } from './positions';
import { qualityCompleter } from './completer';
import { gateChoice, gateReport, writeCalibration } from './gateReport';
import type { ScoredSample } from '../../../core/completion/calibration';
import { DEFAULT_COMPLETION_BEAMS } from '../../../core/completion/pipeline';
import { beamsFlag, copyFlag, dtypeFlag, fimOrderFlag, healFlag } from '../../modelFlags';

const DEFAULT_NGRAM_DATA = 'models/train/.cache/data/train.bin';

const HELP = `usage: lathe bench quality --model DIR --files LIST [options] --json

  --model DIR        model folder with FIM tokens
  --files LIST       a file listing source paths (one per line; tab-separated lines use the
                     last column, as in models/train/heldout_files.txt, and a sha256 third column
                     pins the file: a file that changed since is an error), or comma-separated paths
  --samples N        cursor positions (default 200)
  --seed S           sampling seed (default 1)
  --context MODE     plain (prefix/suffix only, default) or full (completion pipeline + context engine;
                     every listed file is indexed for definitions, and the other listed files of
                     the sample's folder, up to 6, are the open tabs similar code and prompt
                     copy come from)
  --ngram-data PATH  uint16 token stream the baseline trains on (default ${DEFAULT_NGRAM_DATA},
                     built by models/train/data.py; when the default is missing, as on a fresh
                     clone, the report marks the baseline not available); 'none' skips the baseline
  --ngram-tokens N   train the baseline on at most N tokens (default: all)
  --ngram-tokenizer DIR  folder with the tokenizer.json that produced --ngram-data
                     (default: the model's own, right for models trained by models/train)
  --fim-order O      psm or spm (default: the model folder's lathe.json fim_format, else psm)
  --dtype D          ${DTYPE_CHOICES.join('|')} (default auto)
  --heal on|off      token healing: the partial word before the cursor is forced into the
                     output instead of ending the prompt (default on, as in the editor)
  --beams N          beam search over the line with N beams (1: greedy; default: the editor's,
                     ${DEFAULT_COMPLETION_BEAMS})
  --copy on|off      prompt copy: tokens that followed the text before the cursor where it
                     occurs earlier in the prompt gain probability (default on, as in the editor)
  --confidence L     the confidence gate's setting to report at: off, low, balanced (default),
                     high (read through the model folder's lathe.calibration.json), or a
                     score threshold from 0 to 1
  --write-calibration  write the thresholds this run measured for low / balanced / high into
                     the model folder's lathe.calibration.json (use the held-out files)
  --min-shown N      fewest shown suggestions a calibrated threshold may rest on (default 20)
  --records FILE     write one JSON line per sample (file, line, kind, expected, suggestion,
                     raw model text, exact, score, signals, prompt, force_prefix) for analysis
  --json             print one JSON object`;

function ngramComplete(model: NgramModel, tokenizer: ModelTokenizer, prefix: string, maxTokens = 48): string {
  const history = tokenizer.encode(prefix).slice(-8);
  const out: number[] = [];
  for (let i = 0; i < maxTokens; i++) {
    const next = model.next(history);
    if (next === undefined || tokenizer.specialIds.has(next)) break;
    history.push(next);
    out.push(next);
    if (tokenizer.decode(out).includes('\n')) break;
  }
  return out.length === 0 ? '' : tokenizer.decode(out);
}

/**
 * Whether the 4-gram baseline can run: undefined when it can, else why not. A missing stream that
 * was asked for by name is an error; the default one is missing on a fresh clone (it is built by
 * the training recipe), and the report then says so instead of failing.
 */
export function baselineAvailability(ngramData: string, explicit: boolean): string | undefined {
  if (ngramData === 'none') return 'skipped (--ngram-data none)';
  if (existsSync(ngramData)) return undefined;
  if (explicit) throw new CliError(`baseline data ${ngramData} not found (build it with models/train/data.py, or pass --ngram-data none)`);
  return `not available: ${ngramData} not found; build it with models/train/corpus.py and models/train/data.py (models/train/README.md, sections 2-3), then rerun`;
}

export const qualityBench: CliCommand = {
  summary: 'line-completion exact match of a model vs a 4-gram baseline',
  async run(args, signal) {
    const parsed = parseFlags(
      args,
      {
        model: { type: 'string' },
        files: { type: 'string' },
        samples: { type: 'string' },
        seed: { type: 'string' },
        context: { type: 'string' },
        'ngram-data': { type: 'string' },
        'ngram-tokens': { type: 'string' },
        'ngram-tokenizer': { type: 'string' },
        dtype: { type: 'string' },
        'fim-order': { type: 'string' },
        heal: { type: 'string' },
        beams: { type: 'string' },
        copy: { type: 'string' },
        confidence: { type: 'string' },
        'write-calibration': { type: 'boolean' },
        'min-shown': { type: 'string' },
        records: { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!parsed) return 0;
    const v = parsed.values;
    const modelDir = resolve(requireFlag(v.model, 'model'));
    const mode = v.context ?? 'plain';
    if (mode !== 'plain' && mode !== 'full') throw new CliError(`--context must be plain or full, got '${mode}'`);
    const dtype = dtypeFlag(v.dtype);
    const heal = healFlag(v.heal);
    const promptCopy = copyFlag(v.copy);
    const files: SourceFile[] = readListedSources(requireFlag(v.files, 'files'));
    const n = intFlag(v.samples, 'samples', 200, 1);
    const seed = intFlag(v.seed, 'seed', 1);
    const samples = samplePositions(files, n, seed);
    const fimOrder = fimOrderFlag(v['fim-order']);
    const tokenizer = readTokenizerFolder(resolve(v['ngram-tokenizer'] ?? modelDir));

    let baseline: { model: NgramModel; trainMs: number } | undefined;
    const ngramData = v['ngram-data'] ?? DEFAULT_NGRAM_DATA;
    const baselineNote = baselineAvailability(ngramData, v['ngram-data'] !== undefined);
    if (baselineNote === undefined) {
      const buf = readFileSync(ngramData);
      let tokens = new Uint16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2));
      if (v['ngram-tokens'] !== undefined) tokens = tokens.subarray(0, intFlag(v['ngram-tokens'], 'ngram-tokens', tokens.length, 4));
      const t0 = performance.now();
      baseline = { model: NgramModel.train(tokens), trainMs: performance.now() - t0 };
    }

    const beams = beamsFlag(v.beams);
    const completer = await qualityCompleter(modelDir, files, { dtype, context: mode, fimOrder, tokenHealing: heal, beams, promptCopy });
    const choice = gateChoice(v.confidence, completer.calibration);
    const minShown = intFlag(v['min-shown'], 'min-shown', 20, 1);
    try {
      const complete = (s: QualitySample) => completer.complete(s, signal);
      const scored: ScoredSample[] = [];
      const records: string[] = [];
      let hits = 0;
      let baseHits = 0;
      let latency = 0;
      const byKind: Record<string, { n: number; hits: number; baseline_hits: number }> = {};
      for (const s of samples) {
        signal.throwIfAborted();
        const t0 = performance.now();
        const { candidate: predicted, raw, prompt, forcePrefix, verdict } = await complete(s);
        latency += performance.now() - t0;
        const ok = lineMatches(predicted, s.expected);
        // Nothing to show is never shown; a generator without log-probabilities is never gated.
        const score = predicted === '' ? -1 : (verdict.score ?? 1);
        scored.push({ score, exact: ok });
        if (v.records) records.push(JSON.stringify({ file: s.file, line: s.line, kind: s.kind, expected: s.expected, suggestion: predicted, raw, exact: ok, score, signals: verdict.signals, prompt, force_prefix: forcePrefix }));
        const baseOk = baseline ? lineMatches(ngramComplete(baseline.model, tokenizer, s.prefix), s.expected) : false;
        hits += ok ? 1 : 0;
        baseHits += baseOk ? 1 : 0;
        const k = (byKind[s.kind] ??= { n: 0, hits: 0, baseline_hits: 0 });
        k.n++;
        k.hits += ok ? 1 : 0;
        k.baseline_hits += baseOk ? 1 : 0;
      }
      const report = {
        model: modelDir,
        context: mode,
        fim_family: completer.family,
        fim_order: fimOrder ?? 'model default',
        token_healing: heal,
        beams: beams ?? DEFAULT_COMPLETION_BEAMS,
        prompt_copy: promptCopy,
        n: samples.length,
        seed,
        files: files.length,
        exact_match_line: hits / samples.length,
        baseline_ngram_exact_match_line: baseline ? baseHits / samples.length : null,
        ...gateReport(scored, choice, minShown),
        mean_latency_ms: latency / samples.length,
        by_kind: byKind,
        baseline_trained_tokens: baseline?.model.trainedTokens ?? null,
        baseline_train_ms: baseline ? Math.round(baseline.trainMs) : null,
        ...(baselineNote ? { baseline_note: baselineNote } : {}),
      };
      if (v.records) writeFileSync(v.records, records.join('\n') + '\n');
      const written = v['write-calibration']
        ? writeCalibration(modelDir, scored, minShown, { command: `lathe bench quality ${recordedArgs(args).join(' ')}`, files: files.length, seed, context: mode, date: new Date().toISOString().slice(0, 10) })
        : undefined;
      if (written) Object.assign(report, { calibration_written: written });
      console.log(v.json ? JSON.stringify(report, null, 2) : report);
      return 0;
    } finally {
      completer.dispose();
    }
  },
};

/** The command line as recorded in a calibration file: without --records and its (local) path. */
function recordedArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--records') i++;
    else if (!args[i].startsWith('--records=')) out.push(args[i]);
  }
  return out;
}
