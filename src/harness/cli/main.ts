#!/usr/bin/env node
// The `kafka-lambda-router` (alias `klr`) command. It exits explicitly: a kafkajs socket or timer can
// outlive a disconnect by seconds, and a finished command should not linger.
import { runCli } from './program.js';

process.exit(await runCli(process.argv));
