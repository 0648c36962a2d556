import { type AsyncApiDocument, buildAsyncApi } from './build.js';
import { type CollectOptions, collectServiceModel } from './collect.js';
import type { Diagnostic } from './diagnostics.js';

/** The document of a service and everything noticed on the way. */
export interface GeneratedDocs {
  readonly document: AsyncApiDocument;
  readonly diagnostics: readonly Diagnostic[];
}

/** serverless.yml and the handler modules → the AsyncAPI document. */
export async function generateDocs(options: CollectOptions = {}): Promise<GeneratedDocs> {
  const { model, diagnostics } = await collectServiceModel(options);
  const built = await buildAsyncApi(model);
  return { document: built.document, diagnostics: [...diagnostics, ...built.diagnostics] };
}
