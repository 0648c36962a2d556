import { describeError } from '../../../runtime/errors/format.js';
import { startLocalRegistry } from './server.js';

// `npm run registry [-- --port 8081]`: the local Confluent-compatible schema registry in the foreground until Ctrl-C.
const portFlag = process.argv.indexOf('--port');
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : 8081;

try {
  const registry = await startLocalRegistry({ port });
  process.stdout.write(
    `Schema registry (Confluent REST subset, in memory): ${registry.url}\n  export SCHEMA_REGISTRY_URL=${registry.url}\nCtrl-C stops it.\n`,
  );
  const shutdown = async () => {
    await registry.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(`${describeError(error)}\n`);
  process.exit(1);
}
