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
