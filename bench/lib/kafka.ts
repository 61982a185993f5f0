import { startKafka, type RunningKafka } from '@medspa/infra';
import { onCleanup } from './cleanup.js';
import { log } from './emit.js';

/** A private single-node Kafka broker (a JVM: start it outside measured windows), stopped at the end. */
export async function startBenchKafka(): Promise<RunningKafka> {
  const started = Date.now();
  const kafka = await startKafka();
  onCleanup(() => kafka.stop());
  log(`kafka ${kafka.brokers} up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return kafka;
}
