import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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
export function ensureFastStream(): void {
  const requirements = readFileSync(new URL('./requirements.txt', import.meta.url), 'utf8');
  if (existsSync(`${VENV}/.ready`) && readFileSync(`${VENV}/.ready`, 'utf8') === requirements) return;
  const steps: string[][] = [
    ['python3', '-m', 'venv', VENV],
    [`${VENV}/bin/pip`, 'install', '-q', '-r', fileURLToPath(new URL('./requirements.txt', import.meta.url))],
  ];
  for (const [command, ...args] of steps) {
    const run = spawnSync(command as string, args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  }
  writeFileSync(`${VENV}/.ready`, requirements);
}

/** Runs pipeline.py once in a fresh Python process and reads its JSON line. */
export function runFastStream(brokers: string[], input: string, count: number, variant: FastStreamVariant, timeoutMs: number): Outcome {
  const script = fileURLToPath(new URL('./pipeline.py', import.meta.url));
  const prefix = `bench-fs-${variant.backend}-${variant.mode}-${Date.now().toString(36)}`;
  const run = spawnSync(PYTHON, [script, brokers.join(','), input, prefix, String(count), variant.backend, variant.mode], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (run.status !== 0)
    throw new Error(
      `FastStream (${variant.backend}, ${variant.mode}) pipeline failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`,
    );
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
