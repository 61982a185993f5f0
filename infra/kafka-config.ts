/** Ports and directories of one single-node KRaft cluster. */
export interface KafkaLayout {
  brokerPort: number;
  controllerPort: number;
  logDir: string;
  /** An extra SSL listener (PEM key store and trust store); the PLAINTEXT one stays for the broker itself. */
  ssl?: KafkaSslListener;
}

export interface KafkaSslListener {
  port: number;
  /** PEM file holding the private key (unencrypted PKCS#8) followed by the certificate chain. */
  keystoreFile: string;
  /** PEM file of the CA certificates the broker trusts. */
  truststoreFile: string;
}

/** The listener settings, with an SSL listener beside PLAINTEXT when `ssl` is given. */
function listenerSettings({ brokerPort, controllerPort, ssl }: KafkaLayout): Record<string, string> {
  const plain = `PLAINTEXT://127.0.0.1:${brokerPort}`;
  if (ssl === undefined) {
    return {
      listeners: `${plain},CONTROLLER://127.0.0.1:${controllerPort}`,
      'advertised.listeners': plain,
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    };
  }
  const tls = `SSL://127.0.0.1:${ssl.port}`;
  return {
    listeners: `${plain},${tls},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `${plain},${tls}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT',
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': ssl.keystoreFile,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': ssl.truststoreFile,
    'ssl.client.auth': 'none',
  };
}

/**
 * server.properties for a combined broker+controller on loopback, sized for tests and a laptop:
 * replication factors of 1, no initial rebalance delay (consumer groups join at once), small segments.
 */
export function serverProperties(layout: KafkaLayout): string {
  const { controllerPort, logDir } = layout;
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    ...listenerSettings(layout),
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    'log.dirs': logDir,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
    'delete.topic.enable': true,
    'log.segment.bytes': 16 * 1024 * 1024,
    'log.retention.hours': 24,
    'log.retention.check.interval.ms': 60_000,
    // The cleaner's default 128 MiB buffer is a quarter of the heap we give the broker.
    'log.cleaner.dedupe.buffer.size': 16 * 1024 * 1024,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n')
    .concat('\n');
}

/** log4j2 configuration: everything to stdout, which the starter sends to the broker's log file. */
export function log4j2Xml(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="kafka.request.logger" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
    <Root level="INFO">
      <AppenderRef ref="stdout"/>
    </Root>
  </Loggers>
</Configuration>
`;
}
