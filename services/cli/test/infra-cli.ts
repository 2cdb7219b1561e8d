// Runs `distillwatch infra ...` as a child process, as a user would, for the infra integration
// tests. It must never throw on a non-zero exit: the tests assert on the code and the output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', 'src', 'main.ts');
export const REPO = join(import.meta.dirname, '..', '..', '..');

export interface InfraRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runInfra(env: NodeJS.ProcessEnv, ...args: string[]): Promise<InfraRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'infra', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
