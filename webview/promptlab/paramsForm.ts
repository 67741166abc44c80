/** The sampling parameters form: compact number fields plus stop sequences. */
import type { ParametersDto } from '../../extension/protocol/promptlab';
import { field, textField, type ValueElement } from '../components/form';
import { h } from '../components/toolkit';

type NumericKey = Exclude<keyof ParametersDto, 'stop'>;

const NUMERIC: ReadonlyArray<{ key: NumericKey; label: string; hint: string; integer?: boolean }> = [
  { key: 'temperature', label: 'Temperature', hint: '0 = greedy' },
  { key: 'topP', label: 'Top-p', hint: 'nucleus mass' },
  { key: 'topK', label: 'Top-k', hint: '0 = off', integer: true },
  { key: 'minP', label: 'Min-p', hint: 'relative floor' },
  { key: 'maxTokens', label: 'Max tokens', hint: 'output limit', integer: true },
  { key: 'seed', label: 'Seed', hint: 'for sampling', integer: true },
];

/** Stop sequences are typed comma-separated, with \n and \t escapes and \, for a comma. */
export function parseStops(text: string): string[] {
  return text
    .split(/(?<!\\),/)
    .map((s) => s.replace(/\\,/g, ',').replace(/\\n/g, '\n').replace(/\\t/g, '\t'))
    .filter((s) => s.trim() !== '' || s.includes('\n'));
}

export function formatStops(stops: readonly string[] | undefined): string {
  return (stops ?? []).map((s) => s.replace(/,/g, '\\,').replace(/\n/g, '\\n').replace(/\t/g, '\\t')).join(', ');
}

export class ParamsForm {
  readonly element: HTMLElement;
  private readonly inputs = new Map<NumericKey, ValueElement>();
  private readonly stop: ValueElement;

  constructor(onChange: () => void, opts: { keys?: readonly NumericKey[]; withStop?: boolean; idPrefix?: string } = {}) {
    const keys = opts.keys ?? NUMERIC.map((n) => n.key);
    const prefix = opts.idPrefix ?? 'param';
    const grid = h('div', { class: 'pl-params' });
    for (const n of NUMERIC.filter((x) => keys.includes(x.key))) {
      const input = textField({ id: `${prefix}-${n.key}`, size: 6, placeholder: 'default', onInput: onChange, title: n.hint });
      this.inputs.set(n.key, input);
      grid.append(field(n.label, input));
    }
    this.stop = textField({ id: `${prefix}-stop`, placeholder: 'e.g. \\n\\n, User:', onInput: onChange });
    this.element = opts.withStop !== false ? h('div', {}, grid, field('Stop sequences', this.stop, 'comma-separated; \\n for a newline')) : grid;
  }

  load(p: ParametersDto): void {
    for (const [key, input] of this.inputs) input.value = p[key] === undefined ? '' : String(p[key]);
    this.stop.value = formatStops(p.stop);
  }

  read(): ParametersDto {
    const out: Record<string, number | string[]> = {};
    for (const n of NUMERIC) {
      const input = this.inputs.get(n.key);
      if (!input) continue;
      const text = input.value.trim();
      const value = Number(text);
      const valid = text === '' || (Number.isFinite(value) && (!n.integer || Number.isInteger(value)));
      input.classList.toggle('pl-invalid', !valid);
      if (text !== '' && valid) out[n.key] = value;
    }
    const stops = parseStops(this.stop.value);
    if (stops.length > 0) out.stop = stops;
    return out;
  }
}
