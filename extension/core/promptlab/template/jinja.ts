/**
 * @huggingface/jinja ships CommonJS and ESM builds but a single ESM-flavoured .d.ts, which
 * TypeScript's Node16 resolution refuses to `import` from a CommonJS module. The types are
 * taken in import mode and the CommonJS build is required, which is what the bundle runs.
 */
import type * as Jinja from '@huggingface/jinja' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const jinja = require('@huggingface/jinja') as typeof Jinja;

export type JinjaTemplate = Jinja.Template;
export const { Template, parse, tokenize } = jinja;
