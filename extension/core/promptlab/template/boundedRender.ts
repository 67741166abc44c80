/**
 * Renders a parsed @huggingface/jinja template within RenderLimits. The library's Interpreter
 * is extended: every evaluation step checks the clock (every 256 steps) and the size of what it
 * produced, each loop iteration is counted, and `range()` refuses to build a list longer than
 * the iteration limit. The globals are the library's own (same names and behaviour).
 */
import { Environment, Interpreter, type Template } from '@huggingface/jinja';
import { limitReason, TemplateLimitError, type LimitKind, type RenderLimits } from './limits';
import { statementLines } from './statementLines';

type Program = Template['parsed'];
type Statement = Program['body'][number];
type RuntimeValue = ReturnType<Interpreter['evaluate']>;
type BlockEvaluator = (statements: Statement[], environment: Environment) => RuntimeValue;

export interface RenderPlace {
  readonly file: string;
  /** File line of the template's first line. */
  readonly line: number;
}

function strftime(date: Date, format: string): string {
  const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
  const month = (style: 'long' | 'short') => new Intl.DateTimeFormat(undefined, { month: style }).format(date);
  return format.replace(/%[YmdbBHM%]/g, (token) => {
    switch (token) {
      case '%Y':
        return String(date.getFullYear());
      case '%m':
        return pad2(date.getMonth() + 1);
      case '%d':
        return pad2(date.getDate());
      case '%b':
        return month('short');
      case '%B':
        return month('long');
      case '%H':
        return pad2(date.getHours());
      case '%M':
        return pad2(date.getMinutes());
      default:
        return '%';
    }
  });
}

class BoundedInterpreter extends Interpreter {
  private steps = 0;
  private iterations = 0;
  private readonly deadline: number;
  /** Block statements being evaluated, innermost last (for the error's line). */
  private readonly active: object[] = [];
  /** Bodies of the for loops being evaluated: evaluating one of them is one iteration. */
  private readonly loopBodies = new Set<unknown>();
  /** Iterables of the for loops being evaluated: a longer one than the iterations left is refused before the loop copies it. */
  private readonly loopIterables = new Set<unknown>();
  private readonly now: () => number;

  constructor(
    env: Environment,
    private readonly limits: RenderLimits,
    private readonly lines: ReadonlyMap<object, number>,
    private readonly place: RenderPlace,
    now: () => number,
  ) {
    super(env);
    this.now = now;
    this.deadline = now() + limits.timeMs;
    // evaluateBlock is private in the library's typings; loops call it once per iteration.
    const self = this as unknown as { evaluateBlock: BlockEvaluator };
    const evaluateBlock = self.evaluateBlock.bind(this);
    self.evaluateBlock = (statements, environment) => {
      if (this.loopBodies.has(statements)) {
        if (++this.iterations > this.limits.maxIterations) throw this.fail('iterations');
        this.tick();
      }
      return this.checked(evaluateBlock(statements, environment));
    };
  }

  fail(kind: LimitKind): TemplateLimitError {
    const innermost = this.active.at(-1);
    const line = innermost === undefined ? undefined : this.lines.get(innermost);
    return new TemplateLimitError(kind, limitReason(kind, this.limits), { file: this.place.file, line: line === undefined ? undefined : this.place.line + line - 1, field: 'template' });
  }

  /** Counts iterations that `range()` is about to create. */
  countRange(length: number): void {
    if (length > this.limits.maxIterations - this.iterations) throw this.fail('iterations');
  }

  /** Counts a step; every 256 steps, checks the clock. */
  private tick(): void {
    if ((++this.steps & 255) === 0 && this.now() > this.deadline) throw this.fail('time');
  }

  private checked(value: RuntimeValue, iterable = false): RuntimeValue {
    const v = value.value as unknown;
    if ((typeof v === 'string' || Array.isArray(v)) && v.length > this.limits.maxOutputChars) throw this.fail('output');
    if (iterable) {
      const length = Array.isArray(v) ? v.length : v instanceof Map ? v.size : 0;
      if (length > this.limits.maxIterations - this.iterations) throw this.fail('iterations');
    }
    return value;
  }

  override evaluate(statement: Statement | undefined, environment: Environment): RuntimeValue {
    if (statement === undefined) return super.evaluate(statement, environment);
    this.tick();
    const block = this.lines.has(statement);
    if (block) this.active.push(statement);
    const loop = statement.type === 'For' ? (statement as unknown as { body: unknown; iterable: { type: string; lhs?: unknown } }) : undefined;
    const iterable = loop && (loop.iterable.type === 'SelectExpression' ? loop.iterable.lhs : loop.iterable);
    if (loop) {
      this.loopBodies.add(loop.body);
      this.loopIterables.add(iterable);
    }
    try {
      return this.checked(super.evaluate(statement, environment), this.loopIterables.has(statement));
    } finally {
      if (loop) {
        this.loopBodies.delete(loop.body);
        this.loopIterables.delete(iterable);
      }
      if (block) this.active.pop();
    }
  }
}

function setupGlobals(env: Environment, interpreter: () => BoundedInterpreter): void {
  env.set('false', false);
  env.set('true', true);
  env.set('none', null);
  env.set('True', true);
  env.set('False', false);
  env.set('None', null);
  env.set('raise_exception', (message: unknown) => {
    throw new Error(String(message));
  });
  env.set('strftime_now', (format: unknown) => strftime(new Date(), String(format)));
  env.set('range', (start: number, stop?: number, step = 1) => {
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0) throw new Error('range() step must not be zero');
    const length = Math.max(0, Math.ceil((stop - start) / step));
    interpreter().countRange(length);
    return Array.from({ length }, (_, i) => start + i * step);
  });
}

/** Renders `template` with `values`; throws TemplateLimitError (naming the line) past a limit. */
export function renderBounded(template: Template, source: string, values: Readonly<Record<string, unknown>>, limits: RenderLimits, place: RenderPlace, now: () => number = Date.now): string {
  const env = new Environment();
  const holder: { interpreter?: BoundedInterpreter } = {};
  setupGlobals(env, () => holder.interpreter!);
  for (const [key, value] of Object.entries(values)) env.set(key, value);
  const interpreter = new BoundedInterpreter(env, limits, statementLines(template.parsed, source), place, now);
  holder.interpreter = interpreter;
  return interpreter.run(template.parsed).value as string;
}
