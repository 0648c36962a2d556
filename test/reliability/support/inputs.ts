import type { Kafka, Message } from 'kafkajs';

/** What a scenario feeds the pipeline. */
export interface InputPlan {
  readonly count: number;
  /** Distinct keys (per-key order is checked downstream). */
  readonly keys: number;
  /** Every n-th record is a poison pill (undecodable bytes carrying `secret`); 0 for none. */
  readonly poisonEvery: number;
  /** Every n-th record makes the handler take `slowMs`; 0 for none. */
  readonly slowEvery: number;
  readonly slowMs: number;
  /** A secret-looking token: poison values carry it, and nothing but the dead letter's original value may. */
  readonly secret: string;
  /** Records per second (the stream must last long enough for faults to land mid-stream). */
  readonly ratePerSecond: number;
  /** Encodes a (non-poison, non-slow) input's value; JSON when absent. */
  readonly encode?: (value: { readonly id: string; readonly key: string; readonly seq: number }) => Buffer;
}

/** How the input stream went. */
export interface InputReport {
  readonly produced: number;
  readonly poison: number;
  readonly slow: number;
  /** Chunks sent again after a failed send (the broker was down): may duplicate input records. */
  readonly resends: number;
  readonly finishedAt: number;
}

/** Sends happen about every 100 ms: chunks of a tenth of the rate, at most 100 records. */
const chunkSize = (plan: InputPlan) => Math.max(1, Math.min(100, Math.round(plan.ratePerSecond / 10)));

/** The value of input `n`: JSON with its id, key and sequence, or a poison pill. */
export function inputMessage(runId: string, n: number, plan: InputPlan): Message {
  const key = `key-${n % plan.keys}`;
  if (plan.poisonEvery > 0 && n % plan.poisonEvery === plan.poisonEvery - 1) {
    return { key, value: `x${plan.secret} is not JSON` };
  }
  const slow = plan.slowEvery > 0 && n % plan.slowEvery === plan.slowEvery - 1;
  if (plan.encode && !slow) return { key, value: plan.encode({ id: `${runId}-${n}`, key, seq: n }) };
  return { key, value: JSON.stringify({ id: `${runId}-${n}`, key, seq: n, ...(slow ? { slowMs: plan.slowMs } : {}) }) };
}

/**
 * Produces the plan's records in chunks at the planned rate. A chunk whose send
 * fails (broker down) is sent again with a fresh producer until `deadline`.
 */
export async function produceInputs(kafka: Kafka, topic: string, runId: string, plan: InputPlan, deadline: number): Promise<InputReport> {
  let producer = kafka.producer({
    idempotent: false,
    maxInFlightRequests: 1,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
  });
  await producer.connect();
  const began = Date.now();
  let resends = 0;
  let poison = 0;
  let slow = 0;
  const chunk = chunkSize(plan);
  for (let start = 0; start < plan.count; start += chunk) {
    const messages: Message[] = [];
    for (let n = start; n < Math.min(plan.count, start + chunk); n++) {
      const message = inputMessage(runId, n, plan);
      if (typeof message.value === 'string' && !message.value.startsWith('{')) poison++;
      else if (typeof message.value === 'string' && message.value.includes('slowMs')) slow++;
      messages.push(message);
    }
    for (;;) {
      try {
        await producer.send({ topic, acks: -1, messages });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        resends++;
        await producer.disconnect().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 500));
        producer = kafka.producer({
          idempotent: false,
          maxInFlightRequests: 1,
          retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
        });
        await producer.connect().catch(() => undefined);
      }
    }
    const due = began + ((start + chunk) / plan.ratePerSecond) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  await producer.disconnect();
  return { produced: plan.count, poison, slow, resends, finishedAt: Date.now() };
}
