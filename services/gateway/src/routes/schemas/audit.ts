import { z } from 'zod';
import { Id, Instant } from './common.js';

const Filter = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'expected an id or a code');

export const EntriesQuery = z.object({
  subjectId: Filter.optional(),
  actorId: Filter.optional(),
  action: Filter.optional(),
  eventType: Filter.optional(),
  correlationId: Filter.optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
  pageToken: z.string().max(1024).optional(),
});
export const DisclosuresQuery = z.object({ subjectId: Id, from: Instant, to: Instant });
export const VerifyBody = z.object({ checkColumns: z.boolean().optional() });

const Entry = z
  .object({
    sequence: z.number(),
    messageId: z.string(),
    eventType: z.string(),
    occurredAt: z.string(),
    appendedAt: z.string(),
    actorId: z.string(),
    actorRole: z.string(),
    subjectId: z.string(),
    action: z.string(),
    correlationId: z.string(),
    sourceTopic: z.string(),
    detailsJson: z.string(),
  })
  .partial();
export const EntriesReply = z.object({ entries: z.array(Entry), nextPageToken: z.string() }).partial();

export const Disclosure = z
  .object({
    occurredAt: z.string(),
    recipientId: z.string(),
    recipientRole: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    action: z.string(),
    purpose: z.string(),
    breakGlass: z.boolean(),
    messageId: z.string(),
    sourceTopic: z.string(),
  })
  .partial();
export const DisclosuresReply = z.object({ disclosures: z.array(Disclosure) }).partial();

export const VerifyReply = z
  .object({
    chainId: z.string(),
    intact: z.boolean(),
    lastSequence: z.number(),
    signedThrough: z.number(),
    unsignedEntries: z.number(),
    checkpointsVerified: z.number(),
    problem: z
      .object({ kind: z.string(), sequence: z.number(), lastSequence: z.number(), detail: z.string() })
      .partial(),
  })
  .partial();
/** One NDJSON line of the export: an entry or checkpoint, and last the signed manifest. */
export const ExportLine = z.string();

// Legal holds (audit:legal_hold): codes and a matter reference, never free text.
const ReasonCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Z][A-Z0-9_]*$/, 'expected a SCREAMING_SNAKE_CASE code');
export const PlaceLegalHoldBody = z.object({
  subjectId: z.union([Filter, z.literal('')]).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  reasonCode: ReasonCode,
  reference: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only')
    .optional(),
});
export const LegalHoldParams = z.object({ holdId: Id });
export const ReleaseLegalHoldBody = z.object({ reasonCode: ReasonCode });
export const LegalHoldsQuery = z.object({ includeReleased: z.enum(['true', 'false']).optional() });
export const LegalHold = z
  .object({
    holdId: z.string(),
    subjectId: z.string(),
    from: z.string(),
    to: z.string(),
    reasonCode: z.string(),
    reference: z.string(),
    placedBy: z.string(),
    placedByRole: z.string(),
    placedAt: z.string(),
    released: z.boolean(),
    releasedBy: z.string(),
    releasedByRole: z.string(),
    releasedAt: z.string(),
    releaseReasonCode: z.string(),
  })
  .partial();
export const LegalHoldReply = z.object({ hold: LegalHold }).partial();
export const LegalHolds = z.object({ holds: z.array(LegalHold) }).partial();
