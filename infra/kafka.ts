import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import {
  hasExited,
  removeOnExit,
  runToCompletion,
  spawnServer,
  stopServer,
  tailOf,
} from './child-process.js';
import { isMainModule, serveUntilSignal } from './serve.js';
import { freePorts } from './free-port.js';
import { assertJavaInstalled, ensureKafkaJars } from './kafka-jars.js';
import { log4j2Xml, serverProperties } from './kafka-config.js';
import type { KafkaLayout } from './kafka-config.js';

export interface KafkaOptions {
  /** Broker (PLAINTEXT) port; a free one when omitted. */
  port?: number;
  /** KRaft controller port; a free one when omitted. */
  controllerPort?: number;
  /**
   * Also listen for SSL on a free port, with this certificate and key (PEM); RunningKafka.sslBrokers
   * then names it. Clients are not asked for a certificate. Default: PLAINTEXT only.
   */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface RunningKafka {
  /** Bootstrap address for clients: `127.0.0.1:<port>`. */
  brokers: string;
  /** The SSL listener's bootstrap address, when started with `tls`. */
  sslBrokers?: string;
  /** Temp directory holding the config, the data and `broker.log`. */
  dir: string;
  logFile: string;
  /** Stops the broker and deletes its directory. */
  stop: () => Promise<void>;
  /** Stops the broker and starts it again on the same ports and data; resolves once it serves again. */
  restart: () => Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const START_ATTEMPTS = 3;

/** Starts a real single-node Apache Kafka 4 broker (KRaft) on 127.0.0.1 and waits until it serves. */
export async function startKafka(options: KafkaOptions = {}): Promise<RunningKafka> {
  assertJavaInstalled();
  const { libsDir } = await ensureKafkaJars();
  const classpath = path.join(libsDir, '*');
  for (let attempt = 1; ; attempt++) {
    const [brokerPort, controllerPort, sslPort] = await freePorts(options.tls === undefined ? 2 : 3);
    const layoutPorts = {
      brokerPort: options.port ?? brokerPort!,
      controllerPort: options.controllerPort ?? controllerPort!,
    };
    const tls = options.tls === undefined ? undefined : { ...options.tls, port: sslPort! };
    try {
      return await startFreshBroker(classpath, layoutPorts, tls);
    } catch (error) {
      // A port picked by us may be taken by someone else before the JVM binds it; pick again.
      const portTaken = error instanceof Error && /Address already in use|BindException/.test(error.message);
      const portsChosenByUs = options.port === undefined && options.controllerPort === undefined;
      if (!portTaken || !portsChosenByUs || attempt >= START_ATTEMPTS) throw error;
    }
  }
}

interface BrokerFiles {
  propertiesFile: string;
  log4jFile: string;
  logFile: string;
}

/** Writes the broker's configuration into `dir` and formats KRaft storage for a new one-node cluster. */
async function formatStorage(classpath: string, dir: string, layout: KafkaLayout): Promise<BrokerFiles> {
  const files = {
    propertiesFile: path.join(dir, 'server.properties'),
    log4jFile: path.join(dir, 'log4j2.xml'),
    logFile: path.join(dir, 'broker.log'),
  };
  await writeFile(files.propertiesFile, serverProperties(layout));
  await writeFile(files.log4jFile, log4j2Xml());
  await runToCompletion('java', [
    // A short-lived tool: the C1 compiler alone starts it noticeably faster.
    '-XX:TieredStopAtLevel=1',
    `-Dlog4j2.configurationFile=${files.log4jFile}`,
    ...['-cp', classpath, 'kafka.tools.StorageTool', 'format', '--standalone'],
    ...['-t', newClusterId(), '-c', files.propertiesFile],
  ]);
  return files;
}

/** Starts the broker process and resolves once it serves; a broker that does not is killed. */
async function launchBroker(classpath: string, brokers: string, files: BrokerFiles): Promise<ChildProcess> {
  const broker = spawnServer(
    'java',
    [
      '-Xmx512m',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${files.log4jFile}`,
      ...['-cp', classpath, 'kafka.Kafka', files.propertiesFile],
    ],
    files.logFile,
  );
  try {
    await waitUntilServing(brokers, broker, files.logFile);
  } catch (error) {
    await stopServer(broker, 5_000);
    throw error;
  }
  return broker;
}

/** The broker's PEM key store: the key followed by the certificate, as Kafka's PEM type wants it. */
async function writeKeystore(
  dir: string,
  tls: { certFile: string; keyFile: string; caFile: string; port: number },
): Promise<KafkaLayout['ssl']> {
  const keystoreFile = path.join(dir, 'keystore.pem');
  const [key, cert] = await Promise.all([readFile(tls.keyFile, 'utf8'), readFile(tls.certFile, 'utf8')]);
  await writeFile(keystoreFile, `${key.trim()}\n${cert.trim()}\n`, { mode: 0o600 });
  return { port: tls.port, keystoreFile, truststoreFile: tls.caFile };
}

async function startFreshBroker(
  classpath: string,
  ports: Omit<KafkaLayout, 'logDir' | 'ssl'>,
  tls?: { certFile: string; keyFile: string; caFile: string; port: number },
): Promise<RunningKafka> {
  const dir = await mkdtemp(path.join(tmpdir(), 'medspa-kafka-'));
  const unregisterDir = removeOnExit(dir);
  const removeDir = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
    unregisterDir();
  };
  const brokers = `127.0.0.1:${ports.brokerPort}`;
  let files: BrokerFiles;
  let broker: ChildProcess;
  try {
    const ssl = tls === undefined ? undefined : await writeKeystore(dir, tls);
    files = await formatStorage(classpath, dir, { ...ports, logDir: path.join(dir, 'data'), ssl });
    broker = await launchBroker(classpath, brokers, files);
  } catch (error) {
    await removeDir();
    throw error;
  }
  return {
    brokers,
    ...(tls === undefined ? {} : { sslBrokers: `127.0.0.1:${tls.port}` }),
    dir,
    logFile: files.logFile,
    stop: async () => {
      await stopServer(broker);
      await removeDir();
    },
    restart: async () => {
      await stopServer(broker);
      broker = await launchBroker(classpath, brokers, files);
    },
  };
}

/** A KRaft cluster id: 16 random bytes, base64url. One starting with '-' would read as a CLI flag. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Polls with a real client until the broker lists topics and has a group coordinator (asking for one
 * creates __consumer_offsets), so the first consumer group of a test joins without retries.
 */
async function waitUntilServing(brokers: string, broker: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const kafka = new Kafka({
    clientId: 'medspa-infra-readiness',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    retry: { retries: 0 },
  });
  for (;;) {
    if (hasExited(broker)) {
      throw new Error(`Kafka broker exited during start-up (log: ${logFile}):\n${tailOf(logFile)}`);
    }
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      await admin.describeGroups(['medspa-infra-readiness']);
      return;
    } catch {
      if (Date.now() > deadline) {
        throw new Error(
          `Kafka broker did not serve on ${brokers} within ${READY_TIMEOUT_MS} ms:\n${tailOf(logFile)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'controller-port': { type: 'string' } },
  });
  const asPort = (value: string | undefined): number | undefined =>
    value === undefined ? undefined : Number(value);
  await serveUntilSignal(
    () => startKafka({ port: asPort(values.port), controllerPort: asPort(values['controller-port']) }),
    (kafka) => `KAFKA_BROKERS=${kafka.brokers}\n# broker log: ${kafka.logFile}`,
  );
}
