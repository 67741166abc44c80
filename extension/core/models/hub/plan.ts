/**
 * Which files of a hub repository make a Lathe model folder for a weight variant: the
 * engine contract's JSON files, the chat template if any, and `onnx/<variant>.onnx` with its
 * external data. A repository that cannot make one fails here, before any byte is downloaded,
 * with an error that says what is missing.
 */
import { AUTO_ORDER, dtypeOfOnnxFile, isExternalDataOf, variantFileNames, type DtypeChoice, type ModelDtype } from '../onnxFiles';
import { HubError, type HubFile, type RepoListing } from './hubClient';

const REQUIRED = ['config.json', 'tokenizer.json'];
const OPTIONAL = ['generation_config.json', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'chat_template.json', 'lathe.json'];

export interface DownloadPlan {
  readonly repo: string;
  readonly revision: string;
  readonly dtype: ModelDtype;
  /** The graph file under onnx/. */
  readonly weights: string;
  readonly files: readonly HubFile[];
  readonly totalBytes: number;
}

export function planDownload(listing: RepoListing, choice: DtypeChoice): DownloadPlan {
  const byPath = new Map(listing.files.map((f) => [f.path, f]));
  const missing = REQUIRED.filter((p) => !byPath.has(p));
  const onnxDir = listing.files.filter((f) => f.path.startsWith('onnx/') && f.path.split('/').length === 2);
  const graphs = onnxDir.map((f) => f.path.slice(5)).filter((n) => dtypeOfOnnxFile(n));
  if (graphs.length === 0) {
    const elsewhere = listing.files.filter((f) => f.path.endsWith('.onnx')).map((f) => f.path);
    const what = elsewhere.length
      ? `its ONNX files (${elsewhere.slice(0, 4).join(', ')}${elsewhere.length > 4 ? ', …' : ''}) are not the onnx/model*.onnx layout Lathe runs (onnx-community / Optimum exports)`
      : 'it has no ONNX weights (onnx/model*.onnx): Lathe runs ONNX exports such as onnx-community/Qwen2.5-Coder-0.5B-Instruct, not PyTorch or GGUF weights';
    throw new HubError(`${listing.repo} cannot be used: ${what}${missing.length ? `; it also lacks ${missing.join(', ')}` : ''}`);
  }
  if (missing.length) throw new HubError(`${listing.repo} cannot be used: it lacks ${missing.join(' and ')}, which the engine needs next to the ONNX weights`);
  const have = new Set(graphs);
  const order: readonly ModelDtype[] = choice === 'auto' ? AUTO_ORDER : [choice];
  let weights: string | undefined;
  let dtype: ModelDtype | undefined;
  for (const d of order) {
    weights = variantFileNames(d).find((n) => have.has(n));
    if (weights) {
      dtype = d;
      break;
    }
  }
  if (!weights || !dtype) {
    const variants = [...new Set(graphs.map((g) => dtypeOfOnnxFile(g)))].join(', ');
    throw new HubError(`${listing.repo} has no ${choice} weights (looked for ${variantFileNames(choice as ModelDtype).map((n) => `onnx/${n}`).join(', ')}); it has ${variants}: pick one of those with --dtype or lathe.model.dtype`);
  }
  const graph = weights;
  const files = [
    ...[...REQUIRED, ...OPTIONAL].flatMap((p) => byPath.get(p) ?? []),
    byPath.get(`onnx/${graph}`)!,
    ...onnxDir.filter((f) => isExternalDataOf(f.path.slice(5), graph)),
  ];
  return { repo: listing.repo, revision: listing.revision, dtype, weights: graph, files, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}
