// One request's reactive state: data, error and loading, where a newer load cancels the older one
// so a slow answer for a previous filter never overwrites the current one.

export class Resource<T> {
  data = $state<T | undefined>(undefined);
  error = $state<Error | undefined>(undefined);
  loading = $state(false);
  #controller: AbortController | undefined;

  async load(fetcher: (signal: AbortSignal) => Promise<T>): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.error = undefined;
    try {
      const data = await fetcher(controller.signal);
      if (!controller.signal.aborted) this.data = data;
    } catch (e) {
      if (!controller.signal.aborted) {
        this.error = e instanceof Error ? e : new Error(String(e));
        this.data = undefined;
      }
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  abort(): void {
    this.#controller?.abort();
  }
}
