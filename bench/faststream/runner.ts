import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureVenv } from '../../test/support/python.js';

// The FastStream side of bench/e2e.ts: its Python environment, its configurations, and one run of pipeline.py.

/** One variant's run of the end-to-end pipeline. */
export interface Outcome {
  readonly name: string;
  readonly records: number;
  readonly seconds: number;
  readonly steadySeconds: number;
  readonly cpuSeconds: number;
}

/** One FastStream configuration of `bench/faststream/pipeline.py`. */
export interface FastStreamVariant {
  readonly backend: 'confluent' | 'aiokafka';
  /** `per-message`: one record per call, each publish awaited. `batch`: `batch=True, max_records=500`, unconfirmed publishes gathered once per batch. */
  readonly mode: 'per-message' | 'batch';
}

/** Each backend with each subscriber configuration. */
export const FASTSTREAM_VARIANTS: readonly FastStreamVariant[] = [
  { backend: 'confluent', mode: 'per-message' },
  { backend: 'aiokafka', mode: 'per-message' },
  { backend: 'confluent', mode: 'batch' },
  { backend: 'aiokafka', mode: 'batch' },
];

/** The configuration's name in tables and ratios. */
export function fastStreamName(variant: FastStreamVariant): string {
  const backend = variant.backend === 'confluent' ? 'Confluent backend' : 'aiokafka backend';
  return `FastStream 0.7.8, ${variant.mode === 'batch' ? 'batch subscriber' : 'per-message subscriber'} (${backend})`;
}

const VENV = fileURLToPath(new URL('../.venv', import.meta.url));
const PYTHON = `${VENV}/bin/python`;

/** Creates bench/.venv with FastStream (both Kafka backends) once; later runs reuse it. */
export async function ensureFastStream(): Promise<void> {
  await ensureVenv(VENV, fileURLToPath(new URL('./requirements.txt', import.meta.url)));
}

/** Runs pipeline.py once in a fresh Python process and reads its JSON line. */
export async function runFastStream(
  brokers: string[],
  input: string,
  count: number,
  variant: FastStreamVariant,
  timeoutMs: number,
): Promise<Outcome> {
  const script = fileURLToPath(new URL('./pipeline.py', import.meta.url));
  const prefix = `bench-fs-${variant.backend}-${variant.mode}-${Date.now().toString(36)}`;
  // Not spawnSync: a worker thread of vitest blocked for a minute misses its RPC deadline.
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(PYTHON, [script, brokers.join(','), input, prefix, String(count), variant.backend, variant.mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr }));
  });
  if (run.code !== 0)
    throw new Error(`FastStream (${variant.backend}, ${variant.mode}) pipeline failed (${run.code}): ${run.stderr.slice(-2000)}`);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as {
    records: number;
    seconds: number;
    steady_seconds: number;
    cpu_seconds: number;
  };
  return {
    name: fastStreamName(variant),
    records: result.records,
    seconds: result.seconds,
    steadySeconds: result.steady_seconds,
    cpuSeconds: result.cpu_seconds,
  };
}
