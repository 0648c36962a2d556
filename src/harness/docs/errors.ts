import { KafkaRouterError } from '../../runtime/errors/index.js';
import { type Diagnostic, formatDiagnostic } from './diagnostics.js';

/** The service cannot be documented as asked: unreadable serverless.yml or handler module, or schemas that cannot be described. */
export class DocsError extends KafkaRouterError {
  override name = 'DocsError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(message: string, options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {}) {
    const details = (options.diagnostics ?? []).map((diagnostic) => `\n  ${formatDiagnostic(diagnostic)}`).join('');
    super('CONFIG', `${message}${details}`, { permanent: true, cause: options.cause });
    this.diagnostics = options.diagnostics ?? [];
  }
}
