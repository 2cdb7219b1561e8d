// The shared flag parsing every subcommand uses (src/command.ts).
import { describe, expect, it } from 'vitest';
import { parseFlags, required, stringFlags } from '../src/command.ts';
import { UserError } from '../src/errors.ts';

describe('flag parsing', () => {
  it('reads flags that each take a string, as `--flag value` or `--flag=value`', () => {
    const { values } = parseFlags(['--alert', 'a-1', '--verdict=benign'], stringFlags('alert', 'verdict', 'note'));
    expect(values).toEqual({ alert: 'a-1', verdict: 'benign' });
    expect(required(values.alert, 'alert')).toBe('a-1');
  });

  it('names an unknown flag, a flag without its value and a missing required flag as user errors', () => {
    expect(() => parseFlags(['--alrt', 'a-1'], stringFlags('alert'))).toThrow(UserError);
    expect(() => parseFlags(['--alrt', 'a-1'], stringFlags('alert'))).toThrow(/--alrt/);
    expect(() => parseFlags(['--alert'], stringFlags('alert'))).toThrow(/--alert/);
    expect(() => required(undefined, 'verdict')).toThrow(new UserError('missing required flag --verdict'));
  });
});
