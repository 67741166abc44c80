/**
 * The prompt being designed: its template (with role markers), one field per input (declared
 * inputs and variables found in the template), the parameters, and what analysis found:
 * template errors with their line, undefined variables, token count, context warning.
 */
import type { AnalysisDto, DraftDto, InputDto, PromptDocumentDto } from '../../extension/protocol/promptlab';
import { field, message, textArea, textField, type ValueElement } from '../components/form';
import { h } from '../components/toolkit';
import { ParamsForm } from './paramsForm';

export class PromptEditor {
  readonly element: HTMLElement;
  private readonly template: ValueElement;
  private readonly problem = h('div', { id: 'problem', class: 'lk-message', role: 'alert' });
  private readonly inputsBox = h('div', { id: 'inputs', class: 'pl-inputs' });
  private readonly tokenLine = h('div', { id: 'token-count', class: 'pl-meta' });
  private readonly params: ParamsForm;
  private readonly values = new Map<string, ValueElement>();
  private declared: readonly InputDto[] = [];

  constructor(private readonly onChange: () => void) {
    this.template = textArea({ id: 'template', rows: 12, monospace: true, placeholder: 'system:\nYou are …\n\nuser:\n{{ question }}', onInput: onChange });
    this.params = new ParamsForm(onChange);
    this.problem.hidden = true;
    this.element = h(
      'div',
      { class: 'pl-editor' },
      field('Template', this.template, 'Jinja; lines "system:", "user:", "assistant:" start messages. Empty inputs count as undefined.'),
      this.problem,
      h('h3', { class: 'pl-subhead' }, 'Inputs'),
      this.inputsBox,
      h('h3', { class: 'pl-subhead' }, 'Parameters'),
      this.params.element,
      this.tokenLine,
    );
  }

  load(doc: PromptDocumentDto, draft?: DraftDto): void {
    this.template.value = draft?.body ?? doc.body;
    this.params.load(draft?.parameters ?? doc.parameters);
    this.declared = doc.inputs;
    this.values.clear();
    this.inputsBox.replaceChildren();
    const values = { ...doc.values, ...draft?.values };
    this.syncInputs(doc.inputs.map((i) => i.name), values);
    message(this.problem, 'error', '');
    this.tokenLine.textContent = '';
  }

  /** One field per variable, keeping what the user typed; fields for vanished variables go. */
  private syncInputs(names: readonly string[], initial: Readonly<Record<string, string>> = {}): void {
    for (const [name, el] of this.values) {
      if (!names.includes(name) && !this.declared.some((d) => d.name === name)) {
        el.closest('.lk-field')?.remove();
        this.values.delete(name);
      }
    }
    for (const name of names) {
      if (this.values.has(name)) continue;
      const input = this.declared.find((d) => d.name === name);
      const multi = input?.kind === 'array' || input?.kind === 'object';
      const props = { id: `input-${name}`, value: initial[name] ?? '', onInput: this.onChange, placeholder: input?.kind === 'string' || !input ? '' : input.kind };
      const control = multi ? textArea({ ...props, rows: 3, monospace: true }) : textField(props);
      this.values.set(name, control);
      this.inputsBox.append(field(name, control, input?.description));
    }
    if (this.values.size === 0) this.inputsBox.replaceChildren(h('div', { class: 'pl-meta' }, 'No variables: add {{ name }} to the template.'));
    else this.inputsBox.querySelector(':scope > .pl-meta')?.remove();
  }

  draft(): DraftDto {
    const values: Record<string, string> = {};
    for (const [name, el] of this.values) values[name] = el.value;
    return { body: this.template.value, parameters: this.params.read(), values };
  }

  showAnalysis(a: AnalysisDto): void {
    this.syncInputs(a.variables);
    for (const [name, el] of this.values) el.classList.toggle('pl-missing', a.missing.includes(name));
    if (a.problem) message(this.problem, 'error', a.problem.message);
    else if (a.missing.length > 0) message(this.problem, 'warning', `Undefined: ${a.missing.join(', ')}. Fill these inputs before running.`);
    else message(this.problem, 'error', '');
    const parts: string[] = [];
    if (a.promptTokens !== undefined) parts.push(`${a.promptTokens} prompt tokens`);
    if (a.contextLength !== undefined) parts.push(`context ${a.contextLength}`);
    if (a.sentAs === 'transcript') parts.push('sent as a plain-text transcript the model continues (it has no chat template)');
    this.tokenLine.textContent = parts.join(' · ');
    if (a.contextWarning) this.tokenLine.append(h('span', { class: 'pl-warning' }, ` ⚠ ${a.contextWarning}`));
  }

  /** True when analysis found nothing that stops a run. */
  static runnable(a: AnalysisDto | undefined): boolean {
    return a !== undefined && !a.problem && a.missing.length === 0;
  }
}
