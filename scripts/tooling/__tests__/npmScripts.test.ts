// Every file package.json names (the bin, the oclif commands, each script's node or bash file and
// its --import preload) exists, so moving a file cannot leave an npm command pointing at nothing.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../cli/lib/catalogSource';

const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  oclif: { commands: string };
  files: string[];
};

/** The project files a script line runs: arguments that end in .js or .sh. */
function filesOf(command: string): string[] {
  return command
    .split(/\s+/)
    .filter((word) => /\.(?:js|sh)$/.test(word))
    .map((word) => word.replace(/^\.\//, ''));
}

describe('package.json', () => {
  it.each(Object.entries(pkg.scripts))('script %s names files that exist', (_name, command) => {
    for (const file of filesOf(command))
      expect(existsSync(path.join(PROJECT_ROOT, file))).toBe(true);
  });

  it('names a bin, oclif commands and packaged folders that exist', () => {
    for (const file of Object.values(pkg.bin)) {
      expect(existsSync(path.join(PROJECT_ROOT, file))).toBe(true);
    }
    expect(existsSync(path.join(PROJECT_ROOT, pkg.oclif.commands, 'analytics-health'))).toBe(true);
    for (const entry of pkg.files.filter((f) => !f.startsWith('!'))) {
      expect(existsSync(path.join(PROJECT_ROOT, entry))).toBe(true);
    }
  });

  it('finds the files of a script line, and only those', () => {
    expect(
      filesOf('node --import ./scripts/cli/bin/register.js scripts/tooling/bench/bench.js --json'),
    ).toEqual(['scripts/cli/bin/register.js', 'scripts/tooling/bench/bench.js']);
  });
});
