/** Something the docs generator noticed. `error`s stop `docs gen`: the document would describe the service wrongly. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning' | 'note';
  /** The function (serverless.yml key) and route concerned, when there is one. */
  readonly function?: string;
  readonly route?: string;
  readonly message: string;
}

/** One line per diagnostic: `error: validateOrders › validate-order: …`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = [diagnostic.function, diagnostic.route && `route '${diagnostic.route}'`].filter(Boolean).join(' › ');
  return `${diagnostic.severity}: ${where ? `${where}: ` : ''}${diagnostic.message}`;
}

/** True when some diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}
