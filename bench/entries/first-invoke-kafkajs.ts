// The floor for a first invocation: kafkajs alone connecting an idempotent producer and sending each record once.
import { Kafka, logLevel } from 'kafkajs';

const producer = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING }).producer({
  idempotent: true,
  maxInFlightRequests: 1,
});
let connected = process.env.PRECONNECT === '1' ? producer.connect() : undefined;
if (connected) await connected;

export async function handler(event: { records: Record<string, Array<{ key: string | null; value: string }>> }): Promise<void> {
  connected ??= producer.connect();
  await connected;
  const messages = Object.values(event.records)
    .flat()
    .map((r) => ({ key: r.key ? Buffer.from(r.key, 'base64') : null, value: Buffer.from(r.value, 'base64') }));
  await producer.send({ topic: process.env.OUT_TOPIC ?? 'out', acks: -1, messages });
}
