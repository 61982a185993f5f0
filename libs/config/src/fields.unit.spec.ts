import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  booleanFlag,
  commaList,
  grpcAddress,
  hostPort,
  parseDuration,
  peerAddressKey,
  port,
  postgresUrl,
  ratio,
} from './index.js';

const ok = (schema: z.ZodType, value: string | undefined): unknown => schema.parse(value);
const fails = (schema: z.ZodType, value: string): boolean => !schema.safeParse(value).success;

describe('config fields', () => {
  it('parses durations to milliseconds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('15')).toBeUndefined();
    expect(parseDuration('15 minutes')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });

  it('reads booleans from env strings, where "false" is false', () => {
    expect(ok(booleanFlag(), 'false')).toBe(false);
    expect(ok(booleanFlag(), '0')).toBe(false);
    expect(ok(booleanFlag(), 'TRUE')).toBe(true);
    expect(ok(booleanFlag(true), undefined)).toBe(true);
    expect(fails(booleanFlag(), 'maybe')).toBe(true);
  });

  it('splits comma lists and checks each item', () => {
    expect(ok(commaList(hostPort()), 'a:9092, b:9092,,')).toEqual(['a:9092', 'b:9092']);
    expect(fails(commaList(hostPort()), 'a:9092,b')).toBe(true);
    expect(fails(commaList(hostPort()), ' , ')).toBe(true);
  });

  it('checks ports, ratios, postgres URLs and gRPC addresses', () => {
    expect(ok(port(), '5432')).toBe(5432);
    expect(ok(port(8080), undefined)).toBe(8080);
    expect(fails(port(), '0')).toBe(true);
    expect(fails(port(), '8080x')).toBe(true);
    expect(ok(ratio(), '0.25')).toBe(0.25);
    expect(fails(ratio(), '1.5')).toBe(true);
    expect(ok(postgresUrl(), 'postgresql://u:p@db:5432/medspa')).toBe('postgresql://u:p@db:5432/medspa');
    expect(fails(postgresUrl(), 'postgres://db:5432/')).toBe(true);
    expect(fails(postgresUrl(), 'http://db/medspa')).toBe(true);
    for (const addr of [
      'scheduling:50051',
      'dns:///scheduling.medspa.svc:50051',
      '[::1]:50051',
      'unix:/run/s.sock',
    ]) {
      expect(ok(grpcAddress(), addr)).toBe(addr);
    }
    expect(fails(grpcAddress(), 'http://scheduling')).toBe(true);
  });

  it('names peer address keys as the chart does', () => {
    expect(peerAddressKey('patient-record')).toBe('PATIENT_RECORD_GRPC_ADDR');
  });
});
