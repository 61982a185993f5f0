/** A Server-Sent Events reader over fetch, for tests: everything received, as text. */
export interface SseStream {
  status: number;
  headers: Headers;
  /** Everything read so far. */
  text(): string;
  /** The `data:` payloads read so far, parsed. */
  events(): unknown[];
  /** Resolves when `predicate` holds on what was read, or rejects after `ms`. */
  until(predicate: (text: string) => boolean, ms?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, token?: string): Promise<SseStream> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  let received = '';
  const waiters = new Set<() => void>();
  let ended: Promise<void> = Promise.resolve();
  if (response.body !== null && response.status === 200) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          received += value;
          for (const wake of waiters) wake();
        }
      } catch {
        // aborted by close()
      }
    })();
  } else {
    received = await response.text();
  }
  return {
    status: response.status,
    headers: response.headers,
    ended,
    text: () => received,
    events: () =>
      received
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as unknown),
    until: (predicate, ms = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(received)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE: condition not met in ${ms} ms; received: ${received}`));
        }, ms);
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: () => abort.abort(),
  };
}
