import { ConfigError } from '../../../runtime/errors/index.js';

/** A SCRAM-SHA-512 user created when the broker's storage is formatted. */
export interface ScramUser {
  readonly name: string;
  readonly password: string;
}

/** Ports and paths one broker process is configured with. */
export interface BrokerLayout {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** Present when the SASL_SSL (SCRAM-SHA-512) listener is enabled. */
  readonly saslSsl?: { readonly port: number; readonly keystorePath: string; readonly keystorePassword: string };
  /**
   * A second plaintext listener, `PROXIED`, that advertises another address (a
   * fault proxy's): clients bootstrapping through it keep talking through it.
   */
  readonly proxied?: { readonly port: number; readonly advertisedPort: number };
  /** `auto.create.topics.enable` (default true; MSK's usual setting is false). */
  readonly autoCreateTopics?: boolean;
}

/**
 * `server.properties` for a single combined broker+controller on loopback.
 * The defaults for replication (3), internal topic partitions (50) and the
 * rebalance delay (3 s) break or slow a one-node cluster, hence the overrides.
 */
export function renderServerProperties(layout: BrokerLayout): string {
  const listeners = [`PLAINTEXT://127.0.0.1:${layout.port}`, `CONTROLLER://127.0.0.1:${layout.controllerPort}`];
  const advertised = [`PLAINTEXT://127.0.0.1:${layout.port}`];
  const lines = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${layout.controllerPort}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,PROXIED:PLAINTEXT',
    `log.dirs=${layout.logDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    `auto.create.topics.enable=${layout.autoCreateTopics ?? true}`,
    'num.network.threads=2',
    'num.io.threads=2',
    'num.recovery.threads.per.data.dir=1',
    'log.cleaner.dedupe.buffer.size=2097152',
  ];
  if (layout.saslSsl) {
    listeners.push(`SASL_SSL://127.0.0.1:${layout.saslSsl.port}`);
    advertised.push(`SASL_SSL://127.0.0.1:${layout.saslSsl.port}`);
    lines.push(
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_ssl.ssl.keystore.type=PKCS12',
      `listener.name.sasl_ssl.ssl.keystore.location=${layout.saslSsl.keystorePath}`,
      `listener.name.sasl_ssl.ssl.keystore.password=${layout.saslSsl.keystorePassword}`,
    );
  }
  if (layout.proxied) {
    listeners.push(`PROXIED://127.0.0.1:${layout.proxied.port}`);
    advertised.push(`PROXIED://127.0.0.1:${layout.proxied.advertisedPort}`);
  }
  lines.push(`listeners=${listeners.join(',')}`, `advertised.listeners=${advertised.join(',')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * log4j2 config: warnings and errors only, plus the one INFO line that says the
 * server started, so the harness's log tail is short and useful on failure.
 */
export function renderLog4j2Properties(): string {
  return [
    'status=warn',
    'appender.out.type=Console',
    'appender.out.name=OUT',
    'appender.out.layout.type=PatternLayout',
    'appender.out.layout.pattern=[%d] %p %m (%c)%n',
    'rootLogger.level=warn',
    'rootLogger.appenderRef.out.ref=OUT',
    'logger.raft.name=kafka.server.KafkaRaftServer',
    'logger.raft.level=info',
    '',
  ].join('\n');
}

/** The `--add-scram` argument StorageTool takes to create a user at format time. */
export function scramFormatArgument(user: ScramUser): string {
  if (!/^[A-Za-z0-9_-]+$/.test(user.name) || !/^[A-Za-z0-9_-]+$/.test(user.password)) {
    // StorageTool parses `[name=…,password=…]` itself; separators in values would corrupt it.
    throw new ConfigError('SCRAM user names and passwords for the local broker must match [A-Za-z0-9_-]+');
  }
  return `SCRAM-SHA-512=[name=${user.name},password=${user.password}]`;
}
