import type { Reporter, TestModule } from 'vitest/node';

/** Prints `<project>: N passed, N failed` at the end of a run: the plain closing line CI reads. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of testModules) {
      const project = module.project.name || 'tests';
      const count = counts.get(project) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed') count.failed++;
        else count.skipped++;
      }
      // A module that failed to load has no tests but is still a failure.
      if (module.state() === 'failed' && module.children.size === 0) count.failed++;
      counts.set(project, count);
    }
    for (const [project, { passed, failed, skipped }] of counts) {
      process.stdout.write(`${project}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    }
  }
}
