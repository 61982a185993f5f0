import { describe, expect, it } from 'vitest';
import { createLogger, requestLogger } from './logger.js';
import { REDACTED } from './redaction.js';
import { captureLines } from './test-support.js';

const CANARY = 'Canary-Jane-0xBEEF';

function logOnce(write: (log: ReturnType<typeof createLogger>) => void): {
  output: string;
  first: Record<string, unknown>;
} {
  const capture = captureLines();
  write(createLogger({ service: 'scheduling', destination: capture.stream }));
  const first = capture.records()[0];
  if (first === undefined) throw new Error('nothing was logged');
  return { output: capture.lines.join('\n'), first };
}

describe('createLogger redaction', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['depth 0', { phone: CANARY }],
    ['depth 1', { patient: { email: CANARY } }],
    ['depth 2', { event: { data: { dateOfBirth: CANARY } } }],
    ['depth 3', { a: { b: { c: { notes: CANARY } } } }],
    ['depth 5', { a: { b: { c: { d: { e: { ssn: CANARY } } } } } }],
    ['an array item', { patients: [{ id: 'p1', lastName: CANARY }] }],
    ['a snake_case row', { row: { first_name: CANARY, date_of_birth: CANARY } }],
    ['a credential header', { req: { headers: { Authorization: `Bearer ${CANARY}`, 'x-api-key': CANARY } } }],
    ['a whole PHI object', { patient: { address: { street: CANARY, city: CANARY } } }],
  ];

  it.each(cases)('hides PHI at %s and keeps the other fields', (_label, fields) => {
    const { output, first } = logOnce((log) => log.info({ ...fields, appointmentId: 'appt-42' }, 'booked'));
    expect(output).not.toContain(CANARY);
    expect(output).toContain(REDACTED);
    expect(first).toMatchObject({
      appointmentId: 'appt-42',
      service: 'scheduling',
      msg: 'booked',
      level: 'info',
    });
  });

  it('does not change the object the caller logged', () => {
    const patient = { email: CANARY };
    logOnce((log) => log.info({ patient }));
    expect(patient.email).toBe(CANARY);
  });

  it('hides PHI bound into child loggers and their children', () => {
    const capture = captureLines();
    const root = createLogger({ service: 'scheduling', destination: capture.stream });
    const child = requestLogger(root, 'req-1', { tenantId: 't-1' }).child({ patient: { phone: CANARY } });
    child.child({ email: CANARY }).info({ step: 'confirm' }, 'step');
    expect(capture.lines.join('')).not.toContain(CANARY);
    expect(capture.records()[0]).toMatchObject({ requestId: 'req-1', tenantId: 't-1', step: 'confirm' });
  });

  it('drops messages of unknown errors but keeps type, code and stack frames', () => {
    const pgError = Object.assign(new Error(`invalid input syntax for type uuid: "${CANARY}"`), {
      code: '22P02',
      detail: `Key (email)=(${CANARY}) already exists.`,
    });
    const { output, first } = logOnce((log) => {
      log.error(pgError);
      log.error({ nested: { cause: pgError } }, 'nested');
    });
    expect(output).not.toContain(CANARY);
    expect(first.msg).toBe(REDACTED);
    expect(first.err).toMatchObject({ type: 'Error', message: REDACTED, code: '22P02' });
    expect(String((first.err as { stack: string }).stack)).toMatch(/\n\s+at /);
  });

  it('keeps the message, kind and reason of an AppError, whose message is PHI-free by contract', () => {
    class AppError extends Error {
      override name = 'AppError';
      constructor(
        readonly kind: string,
        readonly reason: string,
        message: string,
        options?: ErrorOptions,
      ) {
        super(message, options);
      }
    }
    const cause = new Error(CANARY);
    const { output, first } = logOnce((log) =>
      log.warn({ err: new AppError('conflict', 'SLOT_TAKEN', 'Slot taken', { cause }) }),
    );
    expect(output).not.toContain(CANARY);
    expect(first.msg).toBe('Slot taken');
    expect(first.err).toMatchObject({
      type: 'AppError',
      kind: 'conflict',
      reason: 'SLOT_TAKEN',
      message: 'Slot taken',
    });
    expect(first.err).toMatchObject({ cause: { message: REDACTED } });
  });

  it('leaves lines outside any span without trace ids', () => {
    const { first } = logOnce((log) => log.info('no span'));
    expect(first).not.toHaveProperty('trace_id');
  });
});
