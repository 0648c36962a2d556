import type { CommandRegistration } from '../command.js';
import { registerConsume } from './consume.js';
import { registerDemo } from './demo.js';
import { registerDev } from './dev.js';
import { registerDlt } from './dlt.js';
import { registerDocs } from './docs.js';
import { registerEvents } from './events.js';
import { registerInit } from './init.js';
import { registerKafka } from './kafka.js';
import { registerProduce } from './produce.js';

/**
 * Every command of the CLI, in the order `--help` lists them. A new command is one file in this folder
 * exporting a {@link CommandRegistration}, added here (actions import their heavy modules lazily).
 */
export const COMMANDS: readonly CommandRegistration[] = [
  registerInit,
  registerDev,
  registerProduce,
  registerConsume,
  registerDlt,
  registerKafka,
  registerEvents,
  registerDemo,
  registerDocs,
];
