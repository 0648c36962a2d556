// The naive bundle from perf-anchors: kafkajs + client-kafka + signer + middy + zod, all imported eagerly.
import { KafkaClient } from '@aws-sdk/client-kafka';
import middy from '@middy/core';
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Kafka } from 'kafkajs';
import { z } from 'zod';

const Order = z.object({ id: z.number() });
export const handler = middy(async () => Order.parse({ id: 1 }));
export const parts = [new Kafka({ brokers: ['127.0.0.1:9092'] }).producer(), new KafkaClient({ region: 'us-east-1' }), generateAuthToken];
