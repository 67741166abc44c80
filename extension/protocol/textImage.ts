/**
 * Prompt Lab's "Text + Image" messages: one prompt runs the text model (tokens stream through
 * the Prompt Lab `tokens` notification) and the image model (progressive previews through
 * `imageProgress`) side by side; past pairs live in the gallery. Plain data only (the webview
 * imports this); parameter ranges are checked by the image pipeline, which names the parameter.
 */
import { arrayOf, nullable, num, object, oneOf, optional, str, text, type Infer } from '../base/schema';

/** The image samplers, as the image pipeline names them. */
export const IMAGE_SCHEDULERS = ['ddim', 'euler', 'euler-a', 'lcm'] as const;

/** Gallery entries sent at once (each carries its PNG as a data URL). */
export const MAX_GALLERY_ENTRIES = 48;

const none = object({});
const problem = object({ message: str, field: optional(str) });

const imageParams = object({
  steps: optional(num),
  guidance: optional(num),
  scheduler: optional(oneOf(...IMAGE_SCHEDULERS)),
  seed: optional(num),
  width: optional(num),
  height: optional(num),
});
export type ImageParamsDto = Infer<typeof imageParams>;

const textParams = object({ maxTokens: optional(num), temperature: optional(num), seed: optional(num) });
export type TextParamsDto = Infer<typeof textParams>;

/** A PNG in the gallery with its generation parameters (and the text of its pair, when it has one). */
const galleryEntry = object({
  file: str,
  name: str,
  dataUrl: str,
  prompt: str,
  negativePrompt: str,
  seed: num,
  steps: num,
  guidance: num,
  scheduler: str,
  width: num,
  height: num,
  model: str,
  text: optional(str),
  textPrompt: optional(str),
});
export type GalleryEntryDto = Infer<typeof galleryEntry>;

const textSide = object({ model: str, text: str, completionTokens: num, totalMs: num, tokensPerSecond: num });
export type TextSideDto = Infer<typeof textSide>;

const imageSide = object({ entry: galleryEntry, totalMs: num, msPerStep: num, truncated: optional(str) });
export type ImageSideDto = Infer<typeof imageSide>;

const textImageResult = object({ text: optional(textSide), textError: optional(problem), image: optional(imageSide), imageError: optional(problem) });
export type TextImageResultDto = Infer<typeof textImageResult>;

/** The image model's defaults, for the parameter form; `error` when the model folder is unusable. */
const imageInfo = object({
  model: str,
  steps: num,
  guidance: num,
  scheduler: str,
  width: num,
  height: num,
  latentFactor: num,
  gallery: nullable(str),
  error: optional(str),
});
export type ImageInfoDto = Infer<typeof imageInfo>;

export const textImageRequests = {
  /** Runs the text and the image side of one prompt; `imagePrompt` replaces the prompt for the image. */
  textImage: {
    params: object({ runId: str, prompt: text(20_000), imagePrompt: optional(text(20_000)), negativePrompt: optional(text(20_000)), text: textParams, image: imageParams }),
    result: textImageResult,
  },
  imageInfo: { params: none, result: imageInfo },
  listGallery: { params: none, result: object({ folder: nullable(str), entries: arrayOf(galleryEntry, MAX_GALLERY_ENTRIES) }) },
  /** A folder picker for the gallery (kept as the workspace's lathe.image.galleryFolder); null when cancelled. */
  chooseGallery: { params: none, result: nullable(object({ path: str })) },
  /** Appends a gallery pair as a multimodal chat row to a dataset the user picks; null when cancelled. */
  saveTextImageRow: { params: object({ file: str, reference: oneOf('path', 'data-url') }), result: nullable(object({ path: str })) },
  /** Opens a gallery PNG in VS Code's image preview. */
  openImage: { params: object({ file: str }), result: none },
} as const;

export const textImageNotifications = {
  /** A step of a running image: `preview` is a PNG data URL of the current estimate, when the step had one. */
  imageProgress: object({ runId: str, step: num, steps: num, preview: optional(str) }),
} as const;
