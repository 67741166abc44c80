/**
 * Known-good ONNX code models for Download a Model…: onnx-community exports of Qwen2.5-Coder
 * (fill-in-the-middle tokens and a chat template: both roles), with their weight variants.
 * Any other repository id works too; these are the ones to start with.
 */
export interface CuratedModel {
  readonly repo: string;
  readonly title: string;
  readonly detail: string;
}

export const CURATED_MODELS: readonly CuratedModel[] = [
  {
    repo: 'onnx-community/Qwen2.5-Coder-0.5B-Instruct',
    title: 'Qwen2.5-Coder 0.5B Instruct',
    detail: 'small and fast on CPU; completions (FIM) and chat',
  },
  {
    repo: 'onnx-community/Qwen2.5-Coder-1.5B-Instruct',
    title: 'Qwen2.5-Coder 1.5B Instruct',
    detail: 'better completions and answers; wants 4+ cores',
  },
];
