import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBrokerList, useKafkaCluster } from '../../../../src/harness/local/broker/cluster.js';
import { renderServerProperties, scramFormatArgument } from '../../../../src/harness/local/broker/config.js';
import { BrokerHarnessError } from '../../../../src/harness/local/broker/errors.js';
import { ensureKafkaJars, jarsAreCached } from '../../../../src/harness/local/broker/jars.js';
import { assertJava, assertMaven, parseJavaMajor } from '../../../../src/harness/local/broker/prerequisites.js';
import { KafkaRouterError } from '../../../../src/runtime/errors/index.js';

const properties = (text: string) =>
  new Map(
    text
      .trim()
      .split('\n')
      .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );

describe('renderServerProperties', () => {
  it('configures a one-node KRaft cluster on loopback with replication factor 1 everywhere', () => {
    const props = properties(renderServerProperties({ port: 1111, controllerPort: 2222, logDir: '/tmp/x' }));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:2222');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:1111,CONTROLLER://127.0.0.1:2222');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:1111');
    for (const key of ['offsets.topic.replication.factor', 'transaction.state.log.replication.factor', 'transaction.state.log.min.isr']) {
      expect(props.get(key)).toBe('1');
    }
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.has('sasl.enabled.mechanisms')).toBe(false);
  });

  it('adds an advertised SASL_SSL listener with SCRAM-SHA-512 when asked', () => {
    const props = properties(
      renderServerProperties({
        port: 1,
        controllerPort: 2,
        logDir: '/l',
        saslSsl: { port: 3, keystorePath: '/k.p12', keystorePassword: 'pw' },
      }),
    );
    expect(props.get('listeners')).toContain('SASL_SSL://127.0.0.1:3');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:1,SASL_SSL://127.0.0.1:3');
    expect(props.get('sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(props.get('listener.name.sasl_ssl.ssl.keystore.location')).toBe('/k.p12');
  });
});

describe('renderServerProperties for fault tests', () => {
  it('adds a PROXIED plaintext listener that advertises the proxy port', () => {
    const props = properties(renderServerProperties({ port: 1, controllerPort: 2, logDir: '/l', proxied: { port: 4, advertisedPort: 5 } }));
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2,PROXIED://127.0.0.1:4');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:1,PROXIED://127.0.0.1:5');
    expect(props.get('listener.security.protocol.map')).toContain('PROXIED:PLAINTEXT');
  });

  it('turns topic auto-creation off when asked, and leaves it on by default', () => {
    expect(properties(renderServerProperties({ port: 1, controllerPort: 2, logDir: '/l' })).get('auto.create.topics.enable')).toBe('true');
    const off = properties(renderServerProperties({ port: 1, controllerPort: 2, logDir: '/l', autoCreateTopics: false }));
    expect(off.get('auto.create.topics.enable')).toBe('false');
  });
});

describe('scramFormatArgument', () => {
  it('renders the StorageTool --add-scram value', () => {
    expect(scramFormatArgument({ name: 'alice', password: 'abc123' })).toBe('SCRAM-SHA-512=[name=alice,password=abc123]');
  });
  it('refuses characters that would corrupt the StorageTool syntax', () => {
    expect(() => scramFormatArgument({ name: 'a', password: 'x],y' })).toThrow(/must match/);
  });
});

describe('prerequisites', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['garbage', undefined],
  ])('parses %s as Java %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });

  it('names what to install when java cannot run', () => {
    const error = catchError(() => assertJava({ ...process.env, JAVA_HOME: '/nonexistent-jdk' }));
    expect(error).toBeInstanceOf(BrokerHarnessError);
    expect(error).toBeInstanceOf(KafkaRouterError);
    expect(error).toMatchObject({ name: 'BrokerHarnessError', code: 'BROKER_PREREQUISITE', permanent: true });
    expect((error as Error).message).toMatch(/JDK 17\+.*KAFKA_BROKERS/s);
  });

  it('names what to install when mvn is missing', () => {
    const error = catchError(() => assertMaven({ PATH: '/nonexistent' }));
    expect((error as BrokerHarnessError).code).toBe('BROKER_PREREQUISITE');
    expect((error as Error).message).toMatch(/Maven.*KAFKA_BROKERS/s);
  });
});

describe('ensureKafkaJars', () => {
  it('uses a complete cache without running Maven (no network on the second run)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'jars-')), 'libs');
    mkdirSync(dir);
    writeFileSync(join(dir, '.complete'), '4.1.2\n');
    // PATH without mvn: any attempt to fetch would fail.
    const result = await ensureKafkaJars({ env: { KAFKA_JARS_DIR: dir, PATH: '/nonexistent' } });
    expect(result).toEqual({ dir, fetched: false });
  });

  it('treats a folder without the completion marker as not cached, and says Maven is needed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'jars-')), 'libs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'half-downloaded.jar'), '');
    expect(jarsAreCached(dir)).toBe(false);
    await expect(ensureKafkaJars({ env: { KAFKA_JARS_DIR: dir, PATH: '/nonexistent' } })).rejects.toMatchObject({
      code: 'BROKER_PREREQUISITE',
    });
  });
});

describe('useKafkaCluster', () => {
  it('parses KAFKA_BROKERS lists', () => {
    expect(parseBrokerList(' a:1, b:2 ,,')).toEqual(['a:1', 'b:2']);
  });

  it('starts nothing when KAFKA_BROKERS is set, even without java', async () => {
    const cluster = await useKafkaCluster({}, { KAFKA_BROKERS: '127.0.0.1:9092', JAVA_HOME: '/nonexistent-jdk', PATH: '/nonexistent' });
    expect(cluster).toMatchObject({ brokers: ['127.0.0.1:9092'], owned: false });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
