import pg from 'pg';
import { backoffDelay, sleep, type Backoff } from '../sleep.js';

export interface ChangeListenerOptions {
  url: string;
  /** A plain lower-case channel name (it is spliced into LISTEN). */
  channel: string;
  onChange(payload: string): void;
  /**
   * True once LISTEN holds, false when the connection is lost (or never came up): while it is
   * false, changes go unannounced, so whoever relies on them must not trust what it remembers.
   */
  onListening(listening: boolean): void;
  applicationName?: string;
  reconnect?: Backoff;
  onError?(error: unknown): void;
}

export interface ChangeListener {
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTENs on a channel on a connection of its own (a pooled one would lose it on release), and
 * comes back after a lost connection with a growing delay. TCP keepalive makes a dead peer an
 * error rather than a silence.
 */
export function listenForChanges(options: ChangeListenerOptions): ChangeListener {
  if (!CHANNEL.test(options.channel)) throw new TypeError('The channel must be a plain lower-case name');
  const backoff = options.reconnect ?? { initialMs: 200, maxMs: 10_000 };
  const stop = new AbortController();
  let current: pg.Client | undefined;

  async function session(): Promise<boolean> {
    const client = new pg.Client({
      connectionString: options.url,
      application_name: options.applicationName ?? `listen:${options.channel}`,
      keepAlive: true,
    });
    current = client;
    const lost = new Promise<void>((resolve) => {
      client.once('end', resolve);
      client.on('error', (e) => {
        options.onError?.(e);
        resolve();
      });
    });
    client.on('notification', (n) => {
      if (n.channel === options.channel) options.onChange(n.payload ?? '*');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${options.channel}`);
      if (stop.signal.aborted) return false;
      options.onListening(true);
      await Promise.race([
        lost,
        new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true })),
      ]);
      return true;
    } catch (e) {
      if (!stop.signal.aborted) options.onError?.(e);
      return false;
    } finally {
      options.onListening(false);
      current = undefined;
      await client.end().catch(() => undefined);
    }
  }

  const running = (async () => {
    for (let attempt = 1; !stop.signal.aborted; attempt++) {
      if (await session()) attempt = 1;
      if (!stop.signal.aborted) await sleep(backoffDelay(backoff, attempt), stop.signal);
    }
  })();

  return {
    async close() {
      stop.abort();
      await current?.end().catch(() => undefined);
      await running;
    },
  };
}
