import type { CommandRegistration } from '../command.js';
import { wholeNumber } from '../command.js';
import { listenForStopRequests } from '../lifecycle.js';
import { createOutput } from '../output.js';

/** `kafka`: a local Apache Kafka broker in the foreground, its address printed, until stopped. */
export const registerKafka: CommandRegistration = (program) => {
  program
    .command('kafka')
    .description('start a local Kafka broker and print its address')
    .option('-p, --port <port>', 'PLAINTEXT port (default: a free one)', wholeNumber(1))
    .option('--json', 'print {"bootstrapServers","pid","dataDir"} as one JSON line once the broker is ready')
    .addHelpText(
      'after',
      '\nNeeds Java 17+; the broker jars are fetched once with Maven into ~/.cache/kafka-lambda-router.\n' +
        '`produce` finds this broker without KAFKA_BROKERS. Ctrl-C, SIGTERM or SIGHUP stops it and removes its data.',
    )
    .action(async (options: { port?: number; json?: boolean }) => {
      const out = createOutput({ json: options.json === true, prefix: 'kafka' });
      const stop = listenForStopRequests();
      try {
        const [{ startKafkaBroker }, { clearDevBrokers, saveDevBrokers }] = await Promise.all([
          import('../../local/broker/broker.js'),
          import('../../local/dev-state.js'),
        ]);
        const broker = await startKafkaBroker({ ...(options.port ? { port: options.port } : {}), log: (line) => out.progress(line) });
        saveDevBrokers(broker.brokers);
        try {
          if (!stop.signal.aborted) {
            out.result({ bootstrapServers: broker.bootstrapServers, pid: broker.pid, dataDir: broker.dataDir });
            out.info(`Kafka bootstrap: ${broker.bootstrapServers} (pid ${broker.pid}, data ${broker.dataDir})`);
            out.info(`  export KAFKA_BROKERS=${broker.bootstrapServers}`);
            out.info('Ctrl-C stops it.');
          }
          const reason = await stop.requested;
          out.progress(`stopping (${reason})…`);
        } finally {
          clearDevBrokers();
          await broker.stop();
        }
      } finally {
        stop.dispose();
      }
      out.info('kafka: stopped');
    });
};
