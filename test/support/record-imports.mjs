// Loaded with `node --import`: records every module URL this process resolves into $IMPORT_LOG.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      if (process.env.IMPORT_LOG) appendFileSync(process.env.IMPORT_LOG, resolved.url + '\\n');
      return resolved;
    }
  `)}`,
);
