import { KafkaRouterError } from '../../runtime/errors/index.js';

/** The test broker followed published messages through the pipeline and it never went quiet (a cycle). */
export class PipelineUnsettledError extends KafkaRouterError {
  override name = 'PipelineUnsettledError';

  constructor(deliveries: number, lastTopics: readonly string[]) {
    super(
      'PIPELINE_UNSETTLED',
      `The pipeline did not settle after ${deliveries} deliveries; still publishing to ${lastTopics.join(', ')}. Is there a cycle?`,
    );
  }
}

/** A test broker call that cannot work as asked (unknown topic, bad handler, a schema the values do not match, a wait that timed out). */
export class TestBrokerError extends KafkaRouterError {
  override name = 'TestBrokerError';

  constructor(message: string) {
    super('CONFIG', message, { permanent: true });
  }
}
