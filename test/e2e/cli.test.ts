import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/run-cli.js';

const COMMANDS = ['init', 'dev', 'produce', 'consume', 'dlt', 'kafka', 'events', 'demo', 'docs'];
/** Subcommands and aliases, each with its own --help. */
const SUBCOMMANDS = [['dlt', 'inspect'], ['dlt', 'redrive'], ['events', 'capture'], ['tail']];
const outside = () => mkdtempSync(join(tmpdir(), 'klr-cli-'));

describe('kafka-lambda-router CLI: help and usage errors', () => {
  it('lists every command in --help and exits 0', async () => {
    const { code, stdout } = await runBuiltCli(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}[ |]`, 'm'));
  });

  it.each(COMMANDS)('%s --help describes the command and exits 0', async (command) => {
    const { code, stdout } = await runBuiltCli([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: kafka-lambda-router ${command}`);
    expect(stdout).toContain('-h, --help');
  });

  it.each(SUBCOMMANDS)('%s %s --help describes the command and exits 0', async (...words) => {
    const { code, stdout } = await runBuiltCli([...words.filter(Boolean), '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: kafka-lambda-router ${words[0] === 'tail' ? 'consume|tail' : words.join(' ')}`);
    expect(stdout).toContain('-h, --help');
  });

  it('prints its version (the package.json version)', async () => {
    const { code, stdout } = await runBuiltCli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('0.1.0');
  });

  it.each([
    [[], /Usage: kafka-lambda-router/],
    [['deploy'], /error: unknown command 'deploy'/],
    [['dev', '--bogus'], /error: unknown option '--bogus'/],
    [['produce', 'orders'], /error: missing the value: give it as an argument, - for standard input, or --file/],
    [['produce', 'orders', 'ff', '--raw', 'hex', '--file', 'x'], /error: give the value argument or --file, not both/],
    [['consume', 'orders', '--format', 'xml'], /error: --format xml: expected json or table/],
    [
      ['dlt', 'redrive', 'orders.DLT', '--where', 'color=red'],
      /error: --where color=red: expected exception=<class name> or message=<text>/,
    ],
    [['produce', 'orders', '{}', '--count', 'many'], /--count <n>' argument 'many' is invalid. expected a whole number ≥ 1/],
    [['produce', 'orders', '{}', '--partition', '-1'], /--partition <n>' argument '-1' is invalid/],
    [['kafka', 'extra'], /error: too many arguments for 'kafka'/],
    [['produce', 'orders', '{}', '--header', 'no-equals-sign'], /error: --header no-equals-sign: expected name=value/],
  ])('%j is a usage error: a clear message and exit code 2', async (args, message) => {
    const { code, output } = await runBuiltCli(args, { cwd: outside() });
    expect(output).toMatch(message);
    expect(code).toBe(2);
  });

  it('refuses to init over an existing service (exit 2) and names what is there', async () => {
    const dir = outside();
    writeFileSync(join(dir, 'package.json'), '{}');
    const { code, output } = await runBuiltCli(['init', dir]);
    expect(code).toBe(2);
    expect(output).toContain(`${dir} already has package.json`);
  });

  it('says where it looked when run outside a service (exit 1)', async () => {
    const dir = join(outside(), 'nested');
    mkdirSync(dir);
    const { code, output } = await runBuiltCli(['events'], { cwd: dir });
    expect(code).toBe(1);
    expect(output).toContain(`error: No serverless.yml in ${dir} or its parents`);
  });

  it('says how to get a broker when produce has none (exit 1)', async () => {
    const { code, output } = await runBuiltCli(['produce', 'orders', '{}'], {
      cwd: outside(),
      env: { KAFKA_BROKERS: '', KAFKA_LAMBDA_ROUTER_STATE_DIR: outside() },
    });
    expect(code).toBe(1);
    expect(output).toContain('No Kafka to produce to: start `kafka-lambda-router dev`');
  });

  it('mounts the AsyncAPI docs: `docs check` passes on the committed document and fails (exit 1) on a missing one', async () => {
    const fresh = await runBuiltCli(['docs', 'check']);
    expect(fresh.code, fresh.output).toBe(0);
    expect(fresh.output).toContain('asyncapi.yaml is up to date');
    const missing = await runBuiltCli(['docs', 'check', '--out', 'no-such-asyncapi.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('no-such-asyncapi.yaml does not exist');
  });
});
