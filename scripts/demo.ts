import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { placedOrder, receivedPayment } from '../functions/samples.js';
import { PAYMENT_RECEIVED_AVRO } from '../functions/schemas.js';
import { TOPICS } from '../functions/topics.js';
import { listenForStopRequests } from '../src/harness/cli/lifecycle.js';
import { useKafkaCluster } from '../src/harness/local/broker/cluster.js';
import { startEmulator } from '../src/harness/local/emulator/emulator.js';
import { loadLocalFunctions } from '../src/harness/local/emulator/functions.js';
import { percentile } from '../src/harness/local/percentiles.js';
import { localRegistryFor } from '../src/harness/local/registry/for-functions.js';
import { ensureTopics, topicRecordCount } from '../src/harness/local/topics.js';
import { avro } from '../src/runtime/codec/avro.js';
import { confluentRegistry } from '../src/runtime/registry/confluent.js';
import { silentLogger } from '../src/runtime/router/logger.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Orders to produce (default 3000). */
  readonly orders?: number;
  /** Share of poison pills, schema-invalid orders (default 0.02). */
  readonly poisonRate?: number;
  /** Share of orders with an unknown SKU, rejected by validation (default 0.05). */
  readonly unknownSkuRate?: number;
  /** Give up waiting for the pipeline to drain after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Aborting stops waiting; the broker, the emulator's consumers and the functions are still stopped. */
  readonly signal?: AbortSignal;
  readonly write?: (line: string) => void;
}

/** What the demo saw. */
export interface DemoSummary {
  readonly reconciled: boolean;
  readonly counts: Record<string, number>;
  readonly expected: {
    readonly poison: number;
    readonly unknownSku: number;
    readonly valid: number;
    /** Avro payments on payments.avro (one per valid order) and the corrupt ones among them (not Confluent-framed Avro). */
    readonly payments: number;
    readonly corruptPayments: number;
  };
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  readonly recordsPerSecond: number;
  readonly functions: Record<
    string,
    { invocations: number; records: number; failures: number; redeliveries: number; p50Ms: number; p99Ms: number }
  >;
}

const DLT = `${TOPICS.ordersPlaced}.DLT`;
// Where the (emulated) event source mapping sends payments it cannot deserialize: serverless.yml's onFailureDestination.
const PAYMENTS_FAILED = `${TOPICS.paymentsReceived}.failed`;

/**
 * The README's main job: a real broker, the ESM emulator running the three
 * functions from serverless.yml, a stream of sample orders with poison pills,
 * and a check that every order is accounted for downstream.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const orders = options.orders ?? 3_000;
  const cluster = await useKafkaCluster({ log: (line) => write(`[kafka] ${line}`) });
  const savedBrokers = process.env.KAFKA_BROKERS;
  const savedLevel = process.env.LOG_LEVEL;
  // The function entries read these when imported: publish to this cluster, log only errors.
  process.env.KAFKA_BROKERS = cluster.brokers.join(',');
  process.env.LOG_LEVEL ??= 'error';
  const kafka = new Kafka({ clientId: 'demo', brokers: [...cluster.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  // Event sources with a schemaRegistry get the local registry (started only then).
  const { functions, registry } = await localRegistryFor(await loadLocalFunctions(), { log: write });
  try {
    await admin.connect();
    const topics = new Set(functions.flatMap((fn) => fn.topics));
    await ensureTopics(admin, topics, 3);
    const before = Object.fromEntries(await Promise.all([...topics].map(async (t) => [t, await topicRecordCount(admin, t)] as const)));
    emulator = await startEmulator({ brokers: cluster.brokers, functions, logger: silentLogger });
    write(`Emulating ${functions.map((f) => f.name).join(', ')} on ${cluster.brokers.join(',')}; producing ${orders} orders…`);

    // Latency: order produced → its email notification readable downstream.
    const producedAt = new Map<string, number>();
    const latencies: number[] = [];
    const watcher = kafka.consumer({ groupId: `demo-watch-${Date.now()}`, maxWaitTimeInMs: 50 });
    await watcher.connect();
    await watcher.subscribe({ topic: TOPICS.emailNotifications, fromBeginning: false });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const orderId = JSON.parse(message.value?.toString() ?? '{}').orderId as string | undefined;
        const at = orderId ? producedAt.get(orderId) : undefined;
        if (at !== undefined) latencies.push(Date.now() - at);
      },
    });
    await new Promise((r) => setTimeout(r, 500)); // let the watcher join before the stream starts

    const poisonEvery = Math.round(1 / (options.poisonRate ?? 0.02));
    const unknownEvery = Math.round(1 / (options.unknownSkuRate ?? 0.05));
    const expected = { poison: 0, unknownSku: 0, valid: 0, payments: 0, corruptPayments: 0 };
    // payments.avro: Avro, Confluent-framed, its schema registered in the local registry (as a payment
    // provider's producer would); the emulated ESM checks each record against the registry.
    const paymentCodec = registry ? avro({ schema: PAYMENT_RECEIVED_AVRO, registry: confluentRegistry({ url: registry.url }) }) : undefined;
    const paymentTarget = { topic: TOPICS.paymentsReceived, part: 'value' } as const;
    await paymentCodec?.prepare(paymentTarget);
    const corruptEvery = 50;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const started = Date.now();
    const runId = started.toString(36);
    for (let sent = 0; sent < orders; sent += 500) {
      const messages = [];
      const payments = [];
      for (let n = sent; n < Math.min(orders, sent + 500); n++) {
        const orderId = `ord-${runId}-${n}`;
        let value: unknown = placedOrder(n, { orderId });
        if (n % poisonEvery === poisonEvery - 1) {
          value = { ...placedOrder(n, { orderId }), lines: [{ sku: 'SKU-MUG', quantity: -1 }] };
          expected.poison++;
        } else if (n % unknownEvery === unknownEvery - 1) {
          value = placedOrder(n, { orderId, lines: [{ sku: 'SKU-DOES-NOT-EXIST', quantity: 1 }] });
          expected.unknownSku++;
        } else {
          expected.valid++;
          if (paymentCodec) {
            const corrupt = expected.payments % corruptEvery === corruptEvery - 1;
            const payment = { ...receivedPayment(n), orderId };
            payments.push({
              key: payment.customerId,
              value: corrupt ? Buffer.from('not avro') : paymentCodec.encode(payment, paymentTarget),
            });
            expected.payments++;
            if (corrupt) expected.corruptPayments++;
          }
        }
        producedAt.set(orderId, Date.now());
        messages.push({
          key: (value as { customerId: string }).customerId,
          value: JSON.stringify(value),
          headers: { 'x-correlation-id': orderId },
        });
      }
      await producer.send({ topic: TOPICS.ordersPlaced, acks: -1, messages });
      if (payments.length > 0) await producer.send({ topic: TOPICS.paymentsReceived, acks: -1, messages: payments });
    }
    await producer.disconnect();

    const count = async () => {
      const now: Record<string, number> = {};
      for (const topic of topics) now[topic] = (await topicRecordCount(admin, topic)) - (before[topic] ?? 0);
      return now;
    };
    const reconciles = (c: Record<string, number>) =>
      c[TOPICS.ordersPlaced] === orders &&
      c[TOPICS.ordersValidated] === expected.valid &&
      c[TOPICS.ordersRejected] === expected.unknownSku &&
      c[DLT] === expected.poison &&
      c[TOPICS.stockReserved] === expected.valid &&
      c[TOPICS.emailNotifications] === expected.valid &&
      c[TOPICS.smsNotifications] === expected.valid &&
      (c[TOPICS.paymentsReceived] ?? 0) === expected.payments &&
      (c[TOPICS.paymentsRecorded] ?? 0) === expected.payments - expected.corruptPayments &&
      (c[PAYMENTS_FAILED] ?? 0) === expected.corruptPayments;
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    let counts = await count();
    while (
      !(reconciles(counts) && emulator.idle() && latencies.length >= expected.valid) &&
      Date.now() < deadline &&
      !options.signal?.aborted
    ) {
      await new Promise((r) => setTimeout(r, 250));
      counts = await count();
    }
    const elapsedS = (Date.now() - started) / 1000;
    await watcher.disconnect();
    const stats = Object.fromEntries(
      [...emulator.stats].map(([name, s]) => [
        name,
        {
          invocations: s.invocations,
          records: s.records,
          failures: s.failures,
          redeliveries: s.redeliveries,
          p50Ms: percentile(s.durationsMs, 50),
          p99Ms: percentile(s.durationsMs, 99),
        },
      ]),
    );
    const summary: DemoSummary = {
      reconciled: reconciles(counts),
      counts,
      expected,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
      recordsPerSecond: orders / elapsedS,
      functions: stats,
    };
    printSummary(summary, orders, elapsedS, write);
    return summary;
  } finally {
    await emulator?.stop();
    await registry?.close();
    await admin.disconnect().catch(() => undefined);
    for (const fn of functions) await fn.close();
    if (savedBrokers === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = savedBrokers;
    if (savedLevel === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = savedLevel;
    await cluster.stop();
  }
}

function printSummary(summary: DemoSummary, orders: number, elapsedS: number, write: (line: string) => void): void {
  const { counts, expected } = summary;
  const row = (cells: Array<string | number>) => `  ${cells.map((cell, i) => String(cell).padEnd(i === 0 ? 24 : 10)).join(' ')}`;
  write('');
  write(row(['topic', 'in', 'out', 'dead-let.']));
  write(
    row([
      TOPICS.ordersPlaced,
      counts[TOPICS.ordersPlaced] ?? 0,
      (counts[TOPICS.ordersValidated] ?? 0) + (counts[TOPICS.ordersRejected] ?? 0),
      counts[DLT] ?? 0,
    ]),
  );
  write(row([TOPICS.ordersValidated, counts[TOPICS.ordersValidated] ?? 0, counts[TOPICS.stockReserved] ?? 0, 0]));
  write(
    row([
      TOPICS.stockReserved,
      counts[TOPICS.stockReserved] ?? 0,
      (counts[TOPICS.emailNotifications] ?? 0) + (counts[TOPICS.smsNotifications] ?? 0),
      0,
    ]),
  );
  write(
    row([
      `${TOPICS.paymentsReceived} (Avro)`,
      counts[TOPICS.paymentsReceived] ?? 0,
      counts[TOPICS.paymentsRecorded] ?? 0,
      `${counts[PAYMENTS_FAILED] ?? 0} (ESM)`,
    ]),
  );
  write('');
  write(row(['function', 'invokes', 'records', 'failed', 'redeliv.', 'p50 ms', 'p99 ms']));
  for (const [name, s] of Object.entries(summary.functions))
    write(row([name, s.invocations, s.records, s.failures, s.redeliveries, s.p50Ms.toFixed(1), s.p99Ms.toFixed(1)]));
  write('');
  write(`  ${orders} orders in ${elapsedS.toFixed(1)} s: ${summary.recordsPerSecond.toFixed(0)} orders/s end to end`);
  write(`  order placed → email notification readable: p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms`);
  write(
    summary.reconciled
      ? `  ✔ reconciled: ${expected.valid} valid orders notified twice (email + SMS), ${expected.unknownSku} rejected, ${expected.poison} poison pills dead-lettered; ${expected.payments - expected.corruptPayments} Avro payments recorded, ${expected.corruptPayments} corrupt ones sent to ${PAYMENTS_FAILED} by the ESM; nothing lost`
      : `  ✘ NOT reconciled: expected ${JSON.stringify(expected)}, counted ${JSON.stringify(counts)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `npm run demo [-- --orders n]`: Ctrl-C, SIGTERM, SIGHUP or the exit of npm stop it cleanly.
  const stop = listenForStopRequests();
  const flag = process.argv.indexOf('--orders');
  const summary = await runDemo({ ...(flag >= 0 ? { orders: Number(process.argv[flag + 1]) } : {}), signal: stop.signal });
  stop.dispose();
  process.exit(summary.reconciled ? 0 : 1);
}
