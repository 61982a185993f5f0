import { setTenant, withTransaction, type Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import type { Logger } from '@medspa/observability';
import { SCHEMA } from '../../projections/schema.js';
import { dropTimer, loadCascade } from './cascades.js';
import { cascadeMetadata, stepCascade, type CascadeSettings, type StepOutcome } from './cascade-step.js';
import { settleAcceptance } from './settle-acceptance.js';

export interface WaitlistAutofillOptions extends CascadeSettings {
  store: EventStore;
  pool: Pool;
  now: () => Date;
  logger: Logger;
  /** How often the poller looks for due timers. */
  pollMs: number;
  /** A step that failed (a bug, the database) is tried again after this long. */
  failureRetryMs: number;
}

export interface WaitlistAutofill {
  start(): void;
  /** Fires every timer due now (tests, and each poll); resolves with how many fired. */
  fireDue(): Promise<number>;
  stop(): Promise<void>;
}

interface Due {
  cascade_id: string;
  tenant_id: string;
}

/**
 * The waitlist auto-fill process manager's durable timers. Each timer row is the next moment a
 * cascade must be looked at; it is written in the same transaction as the events that set it (an
 * offer with its expiry), so it survives any restart. The poller claims one due row at a time with
 * FOR UPDATE SKIP LOCKED (replicas share the work, never a row), runs the cascade's step under the
 * row's tenant in that same transaction, and commits step and timer together. A timer that fires
 * twice or late finds its offer answered and does nothing (ExpireWaitlistOffer is idempotent).
 */
export function createWaitlistAutofill(options: WaitlistAutofillOptions): WaitlistAutofill {
  const { store, pool, logger } = options;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** Claims and runs one due timer; false when none is due. */
  async function fireOne(): Promise<boolean> {
    const now = options.now();
    let claimed: Due | undefined;
    let settle: StepOutcome = { settle: null };
    try {
      const fired = await withTransaction(pool, async (db) => {
        const due = await db.query<Due>(
          `SELECT cascade_id, tenant_id FROM ${SCHEMA}.waitlist_timers
            WHERE due_at <= $1 ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [now],
        );
        claimed = due.rows[0];
        if (!claimed) return false;
        await setTenant(db, claimed.tenant_id);
        const cascade = await loadCascade(db, claimed.cascade_id);
        if (cascade) settle = await stepCascade(db, store, cascade, now, options);
        else await dropTimer(db, claimed.cascade_id);
        return true;
      });
      if (!fired || !claimed) return false;
      const outcome = settle as StepOutcome;
      if (outcome.settle) {
        // Booking spans several streams in its own transaction, so it runs after the step
        // commits; the watchdog timer the step left behind retries it if this fails.
        const metadata = cascadeMetadata({ tenantId: claimed.tenant_id, cascadeId: claimed.cascade_id });
        await settleAcceptance(store, metadata, outcome.settle.entryId, options.now);
      }
      return true;
    } catch (e) {
      if (!claimed) throw e;
      // One failing cascade must not hold up the others: its timer moves back, and it is retried.
      logger.error(
        {
          cascadeId: claimed.cascade_id,
          err: e instanceof Error ? { name: e.name, message: e.message } : String(e),
        },
        'waitlist timer failed',
      );
      await pool.query(`UPDATE ${SCHEMA}.waitlist_timers SET due_at = $2 WHERE cascade_id = $1`, [
        claimed.cascade_id,
        new Date(now.getTime() + options.failureRetryMs),
      ]);
      return true;
    }
  }

  async function fireDue(): Promise<number> {
    let n = 0;
    try {
      while (await fireOne()) n++;
    } catch (e) {
      logger.error(
        { err: e instanceof Error ? { name: e.name, message: e.message } : String(e) },
        'waitlist timers unavailable',
      );
    }
    return n;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await fireDue();
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, options.pollMs);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
        }
      })();
    },
    fireDue,
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
