import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { ConfigError } from './src/runtime/errors/index.js';
import base from './vitest.config.js';

// Mutation testing runs the `unit` project only (no broker, fast per mutant). Its settings are read from the
// main config, not copied, so the two cannot drift; StrykerJS's vitest runner has no option to pick a project.
const unit = base.test?.projects?.find(
  (project): project is TestProjectInlineConfiguration => typeof project === 'object' && 'test' in project && project.test?.name === 'unit',
);
if (!unit?.test) throw new ConfigError('vitest.config.ts has no `unit` project');

// Everything else (module resolution conditions) as the main config has it.
export default defineConfig({ ...base, test: { ...unit.test, name: undefined } });
