import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from './capture-logs.js';
import type { LogCapture } from './capture-logs.js';
import { makeCanaries } from './canary.js';

describe('captureLogs', () => {
  let capture: LogCapture | undefined;
  afterEach(() => capture?.stop());

  it('captures what a logger writes to its destination and what goes to stdout', () => {
    const patient = makeCanaries();
    capture = captureLogs();
    capture.destination.write(`{"level":30,"msg":"appointment booked"}\n`);
    process.stdout.write(Buffer.from(`patient ${patient.mrn}\n`));
    expect(capture.text()).toContain('appointment booked');
    expect(capture.findCanaries(patient)).toEqual([{ location: 'logs', canary: 'mrn', needle: patient.mrn }]);
  });

  it('reports nothing when no canary was logged', () => {
    capture = captureLogs();
    capture.destination.write(`{"level":30,"msg":"appointment booked","patientId":"p-1"}\n`);
    expect(capture.findCanaries(makeCanaries())).toEqual([]);
  });

  it('puts stdout back when stopped', () => {
    const originalWrite = process.stdout.write;
    capture = captureLogs();
    expect(process.stdout.write).not.toBe(originalWrite);
    capture.stop();
    expect(process.stdout.write).toBe(originalWrite);
  });

  it('calls the write callback so awaited writes complete', async () => {
    capture = captureLogs();
    await new Promise<void>((resolve) => process.stderr.write('flushed?\n', () => resolve()));
    expect(capture.text()).toContain('flushed?');
  });
});
