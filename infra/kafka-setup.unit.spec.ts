import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serverProperties } from './kafka-config.js';
import { assertJavaInstalled, ensureKafkaJars, pinnedKafkaVersion } from './kafka-jars.js';

describe('Kafka broker set-up', () => {
  const originalPath = process.env.PATH;
  const originalCache = process.env.MEDSPA_CACHE_DIR;
  afterEach(() => {
    process.env.PATH = originalPath;
    if (originalCache === undefined) delete process.env.MEDSPA_CACHE_DIR;
    else process.env.MEDSPA_CACHE_DIR = originalCache;
  });

  it('configures one loopback node as broker and controller with replication factor 1', () => {
    const properties = serverProperties({ brokerPort: 19092, controllerPort: 19093, logDir: '/tmp/k' });
    expect(properties).toContain('process.roles=broker,controller\n');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n');
    expect(properties).toContain('controller.quorum.bootstrap.servers=127.0.0.1:19093\n');
    expect(properties).toContain('offsets.topic.replication.factor=1\n');
    expect(properties).toContain('group.initial.rebalance.delay.ms=0\n');
    expect(properties).toContain('auto.create.topics.enable=true\n');
  });

  it('pins a Kafka 4 version in infra/kafka/pom.xml', async () => {
    expect(await pinnedKafkaVersion()).toMatch(/^4\.\d+\.\d+$/);
  });

  it('says what to install when java is missing', () => {
    process.env.PATH = '/nonexistent';
    expect(() => assertJavaInstalled()).toThrow('apt-get install -y openjdk-17-jre-headless maven');
  });

  it('says what to install when the jars are not cached and mvn is missing', async () => {
    const emptyCache = await mkdtemp(path.join(tmpdir(), 'medspa-cache-'));
    try {
      process.env.MEDSPA_CACHE_DIR = emptyCache;
      process.env.PATH = '/nonexistent';
      await expect(ensureKafkaJars()).rejects.toThrow(
        /Maven.*apt-get install -y openjdk-17-jre-headless maven/,
      );
    } finally {
      await rm(emptyCache, { recursive: true, force: true });
    }
  });
});
