// The dispatcher as users meet it: `--help` everywhere, and user errors as one line on stderr
// with exit 2, never a stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError as DetectorConfigError, parseDetectorConfig } from '@distillwatch/core';
import { ConfigError as EnvironmentConfigError } from '@distillwatch/platform/config';
import { ConfigError } from '@distillwatch/platform/errors';
import { commands } from '../src/commands/index.ts';
import { UserError, userErrorMessage } from '../src/errors.ts';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const main = join(repo, 'services/cli/src/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'dw-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function distillwatch(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [main, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Exit 2 and exactly one line on stderr, naming the problem, without a stack trace. */
function expectUserError(result: ReturnType<typeof distillwatch>, names: RegExp) {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^distillwatch: /);
  expect(result.stderr).toMatch(names);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('distillwatch --help', () => {
  it('lists every subcommand with its summary and exits 0', () => {
    const result = distillwatch(['--help']);
    expect(result.status).toBe(0);
    for (const c of commands) expect(result.stdout).toContain(`  ${c.name.padEnd(8)}  ${c.summary}\n`);
  });

  for (const name of commands.map((c) => c.name)) {
    it(`answers ${name} --help with its usage and exit 0`, () => {
      const result = distillwatch([name, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^usage: distillwatch ${name}\\b`));
      expect(result.stderr).toBe('');
    });
  }

  it('lists the same summary as each command module, which it loads only when it runs', async () => {
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
});

describe('distillwatch: start-up', () => {
  // Logs every module specifier the CLI resolves, through Node's in-thread module hooks.
  const hook = `import { registerHooks } from 'node:module';
    registerHooks({ resolve(specifier, context, next) { process.stderr.write('resolved ' + specifier + '\\n'); return next(specifier, context); } });`;
  const packagesLoadedBy = (args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, main, ...args], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    return [...result.stderr.matchAll(/^resolved ([^.\/][^\n]*)$/gm)].map((m) => m[1]!).filter((s) => !s.startsWith('node:') && !s.startsWith('file:'));
  };

  it('loads no package at all for the top-level --help', () => {
    expect(packagesLoadedBy(['--help'])).toEqual([]);
  });

  it('loads only the core for detect, never Kafka, the simulator or the report', () => {
    const loaded = packagesLoadedBy(['detect', '--help']);
    expect(loaded).toContain('@distillwatch/core');
    for (const heavy of ['kafkajs', '@distillwatch/platform', '@distillwatch/simulator', '@distillwatch/evaluation', 'playwright-core']) {
      expect(loaded.filter((s) => s.startsWith(heavy))).toEqual([]);
    }
  });
});

describe('distillwatch: user errors', () => {
  it('names an unknown subcommand', () => {
    expectUserError(distillwatch(['detekt']), /unknown subcommand 'detekt'/);
  });

  it('asks for a subcommand when none is given', () => {
    expectUserError(distillwatch([]), /missing subcommand/);
  });

  it('names a missing required flag', () => {
    expectUserError(distillwatch(['detect', '--output', '-']), /missing required flag --input/);
  });

  it('names an unknown flag', () => {
    expectUserError(distillwatch(['detect', '--inptu', 'x']), /--inptu/);
  });

  it('names a missing input file', () => {
    expectUserError(distillwatch(['detect', '--input', 'no-such.ndjson', '--output', '-']), /no-such\.ndjson: no such file/);
  });

  it('names a config file that is not valid JSON', () => {
    writeFileSync(join(dir, 'broken.json'), '{"scorer": {');
    expectUserError(distillwatch(['detect', '--input', '-', '--output', '-', '--config', 'broken.json']), /broken\.json: invalid JSON/);
  });

  it('names the config file and the unknown key in it', () => {
    writeFileSync(join(dir, 'typo.json'), '{"scorer": {"alertBudjet": 0.1}}');
    expectUserError(distillwatch(['detect', '--input', '-', '--output', '-', '--config', 'typo.json']), /typo\.json: scorer\.alertBudjet: unknown setting/);
  });

  it('names the config key with a value of the wrong type', () => {
    writeFileSync(join(dir, 'type.json'), '{"scorer": {"alertBudget": "ten percent"}}');
    expectUserError(distillwatch(['detect', '--input', '-', '--output', '-', '--config', 'type.json']), /type\.json: scorer\.alertBudget: must be/);
  });

  it('names a malformed connection setting in the environment', () => {
    expectUserError(distillwatch(['infra', 'status'], { KAFKA_BROKERS: 'not a broker' }), /KAFKA_BROKERS/);
  });

  it('names an unknown scenario', () => {
    expectUserError(distillwatch(['simulate', '--scenario', 'huge', '--seed', '1', '--out', '-']), /unknown scenario 'huge'/);
  });
});

/** The error `parseDetectorConfig` throws for `json`. */
function refusalOf(json: unknown): unknown {
  try {
    parseDetectorConfig(json);
  } catch (err) {
    return err;
  }
  throw new Error('expected the detector config to be refused');
}

describe('userErrorMessage', () => {
  it('gives the one line of a UserError', async () => {
    expect(await userErrorMessage(new UserError('x.ndjson: no such file'))).toBe('x.ndjson: no such file');
  });

  it('treats the one ConfigError as a user error naming the key, a key of the detector\'s config after `config: `', async () => {
    expect(DetectorConfigError).toBe(ConfigError);
    expect(EnvironmentConfigError).toBe(ConfigError);
    expect(await userErrorMessage(new ConfigError('KAFKA_BROKERS', '"x" is not host:port'))).toBe('KAFKA_BROKERS: "x" is not host:port');
    expect(await userErrorMessage(refusalOf({ scorer: { alertBudget: -1 } })))
      .toBe('config: scorer.alertBudget: must be a non-negative finite number');
  });

  it('keeps only the first line of a multi-line message', async () => {
    expect(await userErrorMessage(new UserError('first\nsecond'))).toBe('first');
  });

  it('leaves anything else to be reported as an internal error', async () => {
    expect(await userErrorMessage(new TypeError('x is undefined'))).toBeNull();
    expect(await userErrorMessage(Object.assign(new Error('look-alike'), { name: 'ConfigError' }))).toBeNull();
    expect(await userErrorMessage('a string')).toBeNull();
  });
});

describe('process warnings', () => {
  const script = `
    const { silenceTimeoutNegativeWarning } = await import(${JSON.stringify(join(repo, 'services/cli/src/warnings.ts'))});
    silenceTimeoutNegativeWarning();
    setTimeout(() => {}, -1);
    process.emitWarning('something else', 'OtherWarning');`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });

  it('drops the TimeoutNegativeWarning that kafkajs triggers on Node 24', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('TimeoutNegativeWarning');
  });

  it('still prints every other warning', () => {
    expect(result.stderr).toContain('OtherWarning: something else');
  });
});
