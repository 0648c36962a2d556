/** Runs clean-up steps last-registered first; every step runs even when an earlier one fails, then the first failure is thrown. */
export async function runCleanups(steps: ReadonlyArray<() => Promise<unknown> | unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
