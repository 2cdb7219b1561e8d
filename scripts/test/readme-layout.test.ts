// The README's "Repository layout" table against the tree: every path it names exists, and every
// top-level folder the repository tracks and every package under services/ has a row. Reads the
// tracked files from git, so that ignored folders (node_modules, the toolchain, out/) never count.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The rows of the README's layout table: the first cell's path and every path in the row. */
function layoutRows(): { path: string; named: string[] }[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const section = readme.split('\n## Repository layout\n')[1]?.split('\n## ')[0];
  if (section === undefined) throw new Error('README.md has no "## Repository layout" section');
  return section.split('\n').filter((line) => /^\| `/.test(line)).map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    const path = /^`([^`]+)`$/.exec(cells[1]!)?.[1];
    if (path === undefined) throw new Error(`layout row names no path in its first cell: ${line}`);
    const named = [...cells[2]!.matchAll(/`([^`\s]+\/[^`\s]*|[^`\s]+\.[a-z]{2,4})`/g)].map((m) => m[1]!);
    return { path, named };
  });
}

/** Tracked top-level folders and service packages, as the layout must name them. */
function trackedFolders(): string[] {
  const files = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8' }).split('\n').filter((f) => f.includes('/'));
  const top = files.map((f) => `${f.split('/')[0]}/`).filter((f) => f !== 'services/');
  const services = files.filter((f) => f.startsWith('services/')).map((f) => f.split('/').slice(0, 2).join('/'));
  return [...new Set([...top, ...services])].sort();
}

/** Where a path named inside a row is found: from the repository root, or inside the row's own folder. */
function resolves(rowPath: string, named: string): boolean {
  return [named, join(rowPath, named), join(rowPath, 'src', named)].some((p) => existsSync(join(repo, p)));
}

describe('the README layout table', () => {
  it('names every tracked top-level folder and every package under services/', () => {
    const rows = layoutRows().map((r) => r.path);
    expect(trackedFolders().filter((folder) => !rows.includes(folder))).toEqual([]);
  });

  it('names only paths that exist', () => {
    const missing: string[] = [];
    for (const row of layoutRows()) {
      if (!existsSync(join(repo, row.path))) missing.push(row.path);
      for (const named of row.named) if (!resolves(row.path, named)) missing.push(`${row.path}: ${named}`);
    }
    expect(missing).toEqual([]);
  });
});
