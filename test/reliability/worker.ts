// One pipeline process: the ESM emulator (Lambda's poller) and the function it invokes, as the
// reliability suite's orchestrator configured them. The orchestrator SIGKILLs and restarts it.
import type { Context } from 'aws-lambda';
import { startEmulator } from '../../src/harness/local/emulator/emulator.js';
import type { EmulatedFunction } from '../../src/harness/local/emulator/types.js';
import { avro } from '../../src/runtime/codec/avro.js';
import type { KafkaEvent } from '../../src/runtime/event/types.js';
import { createKafkaHandler, createKafkaPublisher, createRouter, defineRoute, jsonLogger, to } from '../../src/runtime/index.js';
import { confluentRegistry } from '../../src/runtime/registry/confluent.js';
import { connectSideEffects } from './support/effects.js';
import { InjectedFaultError } from './support/errors.js';
import { seededRandom, WORKER_CONFIG_ENV, type WorkerConfig, type WorkerMessage } from './support/worker-config.js';

const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? '{}') as WorkerConfig;
const send = (message: WorkerMessage) => process.send?.(message);
const logger = jsonLogger('warn');
const dice = seededRandom(config.seed);

/** An input's value: its id, key and per-key sequence; `slowMs` makes the handler take that long. */
interface ChaosInput {
  readonly id: string;
  readonly key: string;
  readonly seq: number;
  readonly slowMs?: number;
}

const handleInput = async (input: ChaosInput) => {
  // Avro longs arrive as numbers (avsc's default), so the output is the same in both encodings.
  if (input.slowMs) await new Promise((resolve) => setTimeout(resolve, input.slowMs));
  if (config.dropEvery && input.seq % config.dropEvery === config.dropEvery - 1) return undefined;
  return { id: input.id, key: input.key, seq: input.seq };
};
const effects = config.effects ? await connectSideEffects(config.effects) : undefined;
const handle = effects ? effects.wrap(handleInput) : handleInput;

const route = defineRoute({
  name: 'chaos',
  topic: config.topics.input,
  deadLetter: config.topics.deadLetter,
  // Scenario 8: Avro through a registry behind the fault proxy (short timeouts: the faults outlast them).
  ...(config.registryUrl
    ? { codec: avro({ registry: confluentRegistry({ url: config.registryUrl, timeoutMs: 1_000, retries: 1 }) }) }
    : {}),
  publishes: [to(config.topics.output)],
  handle: (value: unknown, ctx) => handle(value as ChaosInput, ctx),
});

const publisher = createKafkaPublisher({
  brokers: config.publishBrokers,
  clientId: 'chaos-function',
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: config.requestTimeoutMs,
  ...(config.deliveryTimeoutMs !== undefined ? { deliveryTimeoutMs: config.deliveryTimeoutMs } : {}),
  logger,
});
const handler = createKafkaHandler(createRouter({ routes: [route], unmatched: 'fail', reserveMs: config.reserveMs, logger }), {
  publisher,
});
if (config.invocationThrowRate > 0) {
  handler.use({
    before: () => {
      if (dice() < config.invocationThrowRate / 2) throw new InjectedFaultError('injected: the function threw before dispatching');
    },
    after: () => {
      if (dice() < config.invocationThrowRate / 2)
        throw new InjectedFaultError('injected: the function threw after its outputs were flushed');
    },
  });
}

let failedInvocations = 0;
const fn: EmulatedFunction = {
  name: 'chaos',
  timeout: config.timeoutS,
  async invoke(event: KafkaEvent, context: Context) {
    send({ type: 'invoking', records: Object.values(event.records).reduce((n, records) => n + records.length, 0) });
    try {
      return await handler(event, context);
    } catch (error) {
      failedInvocations++;
      throw error;
    }
  },
  eventSources: [
    {
      topic: config.topics.input,
      kind: 'msk',
      batchSize: config.batchSize,
      maximumBatchingWindow: config.batchingWindowS,
      startingPosition: 'TRIM_HORIZON',
      consumerGroupId: config.groupId,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: -1,
    },
  ],
};

const emulator = await startEmulator({
  brokers: config.brokers,
  functions: [fn],
  logger,
  retryDelayMs: 200,
  sessionTimeoutMs: config.sessionTimeoutMs,
});
await emulator.joined();
send({ type: 'ready' });

const status = setInterval(() => {
  const stats = emulator.stats.get('chaos');
  send({
    type: 'status',
    idle: emulator.idle(),
    invocations: stats?.invocations ?? 0,
    records: stats?.records ?? 0,
    redeliveries: stats?.redeliveries ?? 0,
    failedInvocations,
  });
}, 250);

process.on('message', async (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(status);
  await emulator.stop();
  await publisher.close();
  await effects?.close();
  process.exit(0);
});
// The orchestrator going away ends the worker too.
process.on('disconnect', () => process.exit(0));
