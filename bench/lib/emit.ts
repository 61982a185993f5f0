import { loadavg } from 'node:os';
import { ratio, roundSignificant } from './stats.js';

/** One figure, printed as one JSON line on stdout. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** For comparisons: what `value` is compared with, and `value ÷ baseline's value`. */
  baseline?: string;
  ratio?: number;
  /** Conditions of the measurement (writers, events, seconds, the machine's load average). */
  params?: Record<string, unknown>;
}

/** Prints a figure as a JSON line on stdout; everything else a benchmark says goes to stderr. */
export function emit(figure: Figure): void {
  const line: Figure = { name: figure.name, value: roundSignificant(figure.value), unit: figure.unit };
  if (figure.baseline !== undefined) line.baseline = figure.baseline;
  if (figure.ratio !== undefined) line.ratio = figure.ratio;
  line.params = { ...figure.params, load1: Number(loadavg()[0]!.toFixed(2)) };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * Prints `value` once per baseline, each line with the baseline's name and the ratio. Baselines
 * that did not produce a figure are skipped (with a note on stderr) rather than printed as NaN.
 */
export function emitComparisons(
  figure: Omit<Figure, 'baseline' | 'ratio'>,
  baselines: Record<string, number | undefined>,
): void {
  for (const [baseline, baselineValue] of Object.entries(baselines)) {
    const r = baselineValue === undefined ? undefined : ratio(figure.value, baselineValue);
    if (r === undefined) {
      log(`${figure.name}: no usable ${baseline} figure to compare with`);
      continue;
    }
    emit({ ...figure, baseline, ratio: r });
  }
}

/** Progress and diagnostics, on stderr so that stdout stays pure JSON lines. */
export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * A pino-compatible destination on stderr for libraries that log to stdout by default (the
 * projection runner, the relay, the Kafka client).
 */
export const stderrDestination = { write: (line: string): boolean => process.stderr.write(line) };
