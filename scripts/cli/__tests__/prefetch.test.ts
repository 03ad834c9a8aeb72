import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInThisContext } from 'node:vm';
import { PROJECT_ROOT } from '../lib/catalogSource';
import { prefetchRegularFile, prefetchedFile } from '../lib/regularFile';
import { DEFAULT_SNAPSHOT, readSnapshot, run } from '../analyticsHealth';

const BIN = path.join(PROJECT_ROOT, 'scripts', 'cli', 'bin', 'analytics-health.js');
const demo = readFileSync(DEFAULT_SNAPSHOT);
const dir = mkdtempSync(path.join(tmpdir(), 'ah-prefetch-'));

describe('prefetchRegularFile', () => {
  it('reads a regular file within the ceiling, byte for byte', async () => {
    const bytes = await prefetchRegularFile(DEFAULT_SNAPSHOT, demo.length);
    expect(bytes?.equals(demo)).toBe(true);
    const empty = path.join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect((await prefetchRegularFile(empty, 10))?.length).toBe(0);
  });

  it('gives null for a file the CLI must refuse, which the CLI then explains', async () => {
    expect(await prefetchRegularFile(DEFAULT_SNAPSHOT, demo.length - 1)).toBeNull();
    expect(await prefetchRegularFile(dir, 2 ** 20)).toBeNull();
    expect(await prefetchRegularFile(path.join(dir, 'missing.json'), 2 ** 20)).toBeNull();
  });
});

describe('a prefetched snapshot', () => {
  it('is read instead of the file when it is the file asked for, and handed over once', () => {
    const other = path.join(dir, 'other.json');
    writeFileSync(other, '{}');
    // The file holds "{}", which is no snapshot: the facts come from the prefetched bytes.
    const prefetched = prefetchedFile(other, Buffer.from(demo));
    expect(readSnapshot(other, prefetched).org.id).toBe(JSON.parse(demo.toString()).org.id);
    expect(prefetched.takeText()).toBeNull();
    expect(() => readSnapshot(other, prefetched)).toThrow('is not an org snapshot');
  });

  it("frees a large file's bytes once they are decoded", () => {
    // Node's own structuredClone (jest's DOM environment has none).
    globalThis.structuredClone ??= runInThisContext('structuredClone');
    const large = Buffer.alloc(100 * 1024, 'a');
    const prefetched = prefetchedFile('large.json', large);
    expect(prefetched.takeText()).toBe('a'.repeat(100 * 1024));
    // Moved out of the holder's buffer (to an object dropped at once), not copied.
    expect(large.buffer.byteLength).toBe(0);
  });

  it('is ignored for another file', () => {
    const prefetched = prefetchedFile(path.join(dir, 'elsewhere.json'), Buffer.from('{}'));
    expect(readSnapshot(DEFAULT_SNAPSHOT, prefetched).org.id).toBeTruthy();
    expect(prefetched.takeText()).toBe('{}');
  });
});

function bin(...argv: string[]) {
  return spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', timeout: 25_000 });
}

function inProcess(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status: code, stdout, stderr };
}

describe('the bin with --facts', () => {
  const withoutTime = (text: string) => text.replace(/"evaluatedAt": "[^"]*"/, '');

  it('prints the report the CLI makes of the file', () => {
    const args = ['check', '--facts', DEFAULT_SNAPSHOT, '--format', 'json', '--fail-on', 'never'];
    const child = bin(...args);
    expect(child.status).toBe(0);
    expect(withoutTime(child.stdout)).toBe(withoutTime(inProcess(...args).stdout));
  });

  it('reports a file it cannot read as the CLI does', () => {
    const child = bin('check', '--facts', dir);
    expect(child.status).toBe(2);
    expect(child.stderr).toBe(
      `analytics-health: Cannot read ${dir}: a directory, not a regular file\n`,
    );
  });
});
