// The floor for import cost: kafkajs alone, building a producer.
import { Kafka } from 'kafkajs';

export const producer = new Kafka({ brokers: ['127.0.0.1:9092'] }).producer();
