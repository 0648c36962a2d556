import { startKafkaBroker } from './broker.js';
import { BrokerHarnessError } from './errors.js';

// `npm run kafka [-- --port 9092]`: a local broker in the foreground until Ctrl-C.
const portFlag = process.argv.indexOf('--port');
const port = portFlag >= 0 ? Number(process.argv[portFlag + 1]) : undefined;

try {
  const broker = await startKafkaBroker({ ...(port ? { port } : {}) });
  process.stdout.write(
    `\nKafka bootstrap: ${broker.bootstrapServers} (pid ${broker.pid}, data ${broker.dataDir})\n  export KAFKA_BROKERS=${broker.bootstrapServers}\nCtrl-C stops it.\n`,
  );
  const shutdown = async () => {
    process.stderr.write('[kafka] stopping…\n');
    await broker.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  setInterval(() => undefined, 1 << 30);
} catch (error) {
  process.stderr.write(`${error instanceof BrokerHarnessError ? error.message : String(error)}\n`);
  process.exit(1);
}
