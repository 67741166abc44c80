/**
 * Ownership of resources without depending on VS Code. `IDisposable` is structurally the same
 * as `vscode.Disposable`, so host registrations can be owned by core-style containers.
 */
export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

/** Disposes every item, last registered first; collects errors instead of stopping at the first. */
export function disposeAll(items: IDisposable[]): void {
  const errors: unknown[] = [];
  while (items.length > 0) {
    const item = items.pop()!;
    try {
      item.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
}

/** Base class for anything that owns registrations. */
export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  protected register<T extends IDisposable>(item: T): T {
    if (this.disposed) {
      item.dispose();
    } else {
      this.owned.push(item);
    }
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}

/** A set of disposables owned together, for callers that do not subclass. */
export class DisposableStore extends Disposable {
  add<T extends IDisposable>(item: T): T {
    return this.register(item);
  }
}
