// A request's cancellation (timeout or client gone) without the cost of an AbortController
// on every request: the AbortSignal is made only when a handler asks for one (storage calls
// do; the proxy subscribes with `onAbort` instead).
export class Cancellation {
  private controller: AbortController | undefined;
  private cause: Error | undefined;
  private listeners: Array<(reason: Error) => void> | undefined;

  get aborted(): boolean {
    return this.cause !== undefined;
  }

  get reason(): Error | undefined {
    return this.cause;
  }

  /** An AbortSignal that follows this cancellation (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.cause) this.controller.abort(this.cause);
    }
    return this.controller.signal;
  }

  /** Runs `fn` once on abort (at once if already aborted); returns the unsubscribe. */
  onAbort(fn: (reason: Error) => void): () => void {
    if (this.cause) {
      fn(this.cause);
      return () => {};
    }
    (this.listeners ??= []).push(fn);
    return () => {
      const i = this.listeners?.indexOf(fn) ?? -1;
      if (i >= 0) this.listeners?.splice(i, 1);
    };
  }

  abort(reason: Error): void {
    if (this.cause) return;
    this.cause = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    this.controller?.abort(reason);
    for (const fn of listeners ?? []) fn(reason);
  }
}
