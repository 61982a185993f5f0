import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type SerializerInput = Parameters<FastifySerializerCompiler<z.ZodType>>[0];

/** fast-json-stringify from the schema's JSON Schema, or undefined when either cannot take it. */
export function fastSerializer(schema: unknown): ((data: unknown) => string) | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  try {
    const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-07', unrepresentable: 'throw' });
    return fastJson(json as Parameters<typeof fastJson>[0]);
  } catch {
    return undefined;
  }
}

/**
 * Replies are written by fast-json-stringify from the JSON Schema of the route's zod response (the
 * schema /openapi.json publishes): only the schema's properties go out, as with zod's parse, which
 * keeps a reply to what its route may show; but without parsing the reply into a copy and then
 * stringifying the copy (about a tenth of the gateway's CPU on a day calendar). A schema that JSON
 * Schema cannot express, or that fast-json-stringify refuses, keeps zod's serializer.
 */
export const responseSerializerCompiler = (input: SerializerInput): ((data: unknown) => string) =>
  fastSerializer(input.schema) ?? zodSerializerCompiler(input);
