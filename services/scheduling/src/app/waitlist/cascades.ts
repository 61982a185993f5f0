import type { Queryable } from '@medspa/db';
import { newId } from '@medspa/eventstore';
import type { FreedSlot } from '../../domain/index.js';
import { SCHEMA } from '../../projections/schema.js';

// The auto-fill cascade's state (one row per freed slot) and its durable timer (one row per
// cascade: when to look at it next). Both are written inside the transaction that appends the
// events that move the cascade, with the tenant set for row-level security, so a crash can never
// leave an offer without its expiry timer, nor a timer for an offer that was never made.

const cascades = `${SCHEMA}.waitlist_cascades`;
const timers = `${SCHEMA}.waitlist_timers`;

export type CascadeStatus = 'open' | 'offered' | 'booked' | 'ended';
export type CascadeOutcome = 'booked' | 'no_match' | 'slot_passed' | 'slot_taken' | 'booking_failed';

export interface Cascade {
  tenantId: string;
  cascadeId: string;
  slot: FreedSlot;
  status: CascadeStatus;
  entryId: string | null;
  offerId: string | null;
  offersMade: number;
}

interface Row {
  tenant_id: string;
  cascade_id: string;
  freed_by: string;
  location_id: string;
  treatment_id: string;
  provider_id: string;
  room_id: string | null;
  device_id: string | null;
  start_at: Date;
  end_at: Date;
  status: CascadeStatus;
  entry_id: string | null;
  offer_id: string | null;
  offers_made: number;
}

const toCascade = (r: Row): Cascade => ({
  tenantId: r.tenant_id,
  cascadeId: r.cascade_id,
  slot: {
    appointmentId: r.freed_by,
    locationId: r.location_id,
    treatmentId: r.treatment_id,
    providerId: r.provider_id,
    roomId: r.room_id,
    deviceId: r.device_id,
    start: r.start_at.toISOString(),
    end: r.end_at.toISOString(),
  },
  status: r.status,
  entryId: r.entry_id,
  offerId: r.offer_id,
  offersMade: r.offers_made,
});

/** Opens a cascade for a freed slot, due at once. Runs in the freeing transaction (tenant set). */
export async function openCascade(
  db: Queryable,
  tenantId: string,
  slot: FreedSlot,
  now: Date,
): Promise<string> {
  const cascadeId = newId();
  await db.query(
    `INSERT INTO ${cascades} (tenant_id, cascade_id, freed_by, location_id, treatment_id, provider_id, room_id,
                              device_id, start_at, end_at, status, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11)`,
    [
      tenantId,
      cascadeId,
      slot.appointmentId,
      slot.locationId,
      slot.treatmentId,
      slot.providerId,
      slot.roomId,
      slot.deviceId,
      slot.start,
      slot.end,
      now,
    ],
  );
  await setTimer(db, tenantId, cascadeId, now);
  return cascadeId;
}

/** When the poller should next look at a cascade (replacing any earlier time). */
export async function setTimer(
  db: Queryable,
  tenantId: string,
  cascadeId: string,
  dueAt: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO ${timers} (cascade_id, tenant_id, due_at) VALUES ($1, $2, $3)
     ON CONFLICT (cascade_id) DO UPDATE SET due_at = EXCLUDED.due_at`,
    [cascadeId, tenantId, dueAt],
  );
}

export async function loadCascade(db: Queryable, cascadeId: string): Promise<Cascade | null> {
  const res = await db.query<Row>(`SELECT * FROM ${cascades} WHERE cascade_id = $1`, [cascadeId]);
  return res.rows[0] ? toCascade(res.rows[0]) : null;
}

/** The cascade that made this offer, if the offer came from one (tenant set). */
export async function cascadeOfOffer(db: Queryable, offerId: string): Promise<Cascade | null> {
  const res = await db.query<Row>(`SELECT * FROM ${cascades} WHERE offer_id = $1`, [offerId]);
  return res.rows[0] ? toCascade(res.rows[0]) : null;
}

/** Records the offer just made; the timer fires at its expiry. */
export async function markOffered(
  db: Queryable,
  cascade: Cascade,
  offer: { entryId: string; offerId: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `UPDATE ${cascades} SET status = 'offered', entry_id = $2, offer_id = $3, offers_made = offers_made + 1
      WHERE cascade_id = $1`,
    [cascade.cascadeId, offer.entryId, offer.offerId],
  );
  await setTimer(db, cascade.tenantId, cascade.cascadeId, offer.expiresAt);
}

/** The cascade is over (booked, or nobody took the slot in time): its timer goes. */
export async function closeCascade(
  db: Queryable,
  cascadeId: string,
  outcome: CascadeOutcome,
  appointmentId: string | null = null,
): Promise<void> {
  await db.query(
    `UPDATE ${cascades} SET status = $2, outcome = $3, appointment_id = $4 WHERE cascade_id = $1`,
    [cascadeId, outcome === 'booked' ? 'booked' : 'ended', outcome, appointmentId],
  );
  await db.query(`DELETE FROM ${timers} WHERE cascade_id = $1`, [cascadeId]);
}

/** A timer with nothing left to do (its cascade already closed). */
export async function dropTimer(db: Queryable, cascadeId: string): Promise<void> {
  await db.query(`DELETE FROM ${timers} WHERE cascade_id = $1`, [cascadeId]);
}
