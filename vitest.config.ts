import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// In this repository `kafka-lambda-router` (the example app's and the tests' imports) resolves to src/ through
// this export condition, so tests and src share one module graph; the published package resolves to dist/.
// Vitest's own defaults otherwise: the server conditions without `module` (bundler-only builds Node cannot load).
const conditions = ['@kafka-lambda-router/source', ...defaultServerConditions.filter((condition) => condition !== 'module')];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    reporters: ['default', './test/support/summary-reporter.ts', './test/support/secret-scan-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/bench/**/*.smoke.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/capture-output.ts'],
          // A deadline, not a wait: a few unit tests spawn a process, build a bundle or run a bench smoke, which
          // take 1-2 s on a quiet 2-core machine and 5-10 s with both cores busy (vitest's default is 5 s).
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/bench/**/*.smoke.int.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/capture-output.ts'],
          // One broker for the whole run; each test file makes its own topics.
          globalSetup: ['test/support/build-global-setup.ts', 'test/support/kafka-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: one worker keeps the broker responsive and runs predictable.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/support/capture-output.ts'],
          // The suite starts (and crashes) its own broker; one file at a time.
          testTimeout: 300_000,
          hookTimeout: 180_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/bench/**/*.smoke.e2e.test.ts'],
          // Fixtures are projects of their own (the consumer project runs its own tests).
          exclude: ['test/e2e/fixtures/**', '**/node_modules/**'],
          globalSetup: ['test/support/build-global-setup.ts'],
          environment: 'node',
          setupFiles: ['test/support/capture-output.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          // The serverless CLI writes .esbuild/ and .serverless/ in the repository: one at a time.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
