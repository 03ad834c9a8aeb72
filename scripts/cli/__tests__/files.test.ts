/**
 * Input and output files: only regular files within a ceiling are read (FIFOs, devices and
 * directories are refused, never a hang), and every file-system error is exit 2 with one line
 * naming the file, never a stack trace.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SNAPSHOT, overlongStringPath, run } from '../analyticsHealth';
import { METADATA_FILE_MAX_BYTES, SNAPSHOT_MAX_BYTES, readRegularFile } from '../lib/regularFile';

/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expectOneLine"] }] */
const fixedNow = () => new Date('2026-11-23T08:00:00Z');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let dir: string;
let fifo: string;
let zero: string;
let tree: string;

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow, {
    cwd: dir,
  });
  return { code, stdout, stderr };
}

/** Exit 2 and one stderr line that names the file and says why; no stack trace. */
function expectOneLine(result: ReturnType<typeof cli>, file: string, reason: RegExp) {
  expect(result.code).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(reason);
  expect(result.stderr).not.toMatch(/\n\s+at |unexpected error/);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ah-files-'));
  fifo = path.join(dir, 'snapshot.fifo');
  execFileSync('mkfifo', [fifo]);
  zero = path.join(dir, 'zero.json');
  symlinkSync('/dev/zero', zero);
  // A small, valid source tree: one permission set and one dataflow reading nothing.
  tree = path.join(dir, 'tree');
  mkdirSync(path.join(tree, 'wave'), { recursive: true });
  mkdirSync(path.join(tree, 'permissionsets'));
  writeFileSync(path.join(tree, 'wave', 'Empty.wdf'), '{}');
  writeFileSync(
    path.join(tree, 'permissionsets', 'Readers.permissionset-meta.xml'),
    '<PermissionSet><label>Readers</label></PermissionSet>',
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('only regular files are read', () => {
  it.each([
    ['a FIFO', () => fifo, /FIFO \(named pipe\), not a regular file/],
    ['a symlink to /dev/zero', () => zero, /character device, not a regular file/],
    ['a directory', () => dir, /a directory, not a regular file/],
    ['a missing file', () => path.join(dir, 'missing.json'), /ENOENT: no such file/],
  ])('--facts naming %s: exit 2, one line', (_kind, file, reason) => {
    expectOneLine(cli('check', '--facts', file()), file(), reason);
  });

  it.each([
    ['a FIFO', () => fifo, /FIFO/],
    ['a symlink to /dev/zero', () => zero, /character device/],
    ['a directory', () => dir, /directory/],
  ])('--acknowledgements naming %s: exit 2, one line', (_kind, file, reason) => {
    expectOneLine(cli('check', '--acknowledgements', file()), file(), reason);
  });

  it('metadata files that are FIFOs are each named, not read', () => {
    const bad = path.join(dir, 'bad-tree');
    mkdirSync(path.join(bad, 'profiles'), { recursive: true });
    execFileSync('mkfifo', [path.join(bad, 'profiles', 'Pipe.profile-meta.xml')]);
    execFileSync('mkfifo', [path.join(bad, 'profiles', 'Tube.profile-meta.xml')]);
    const { code, stderr } = cli('check', '--metadata', bad);
    expect(code).toBe(2);
    expect(stderr).toContain('profiles/Pipe.profile-meta.xml: a FIFO (named pipe), not a regular');
    expect(stderr).toContain('profiles/Tube.profile-meta.xml: a FIFO (named pipe), not a regular');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('metadata files linked to a device outside the tree are skipped with a note, not read', () => {
    const linked = path.join(dir, 'device-links');
    mkdirSync(path.join(linked, 'profiles'), { recursive: true });
    mkdirSync(path.join(linked, 'wave'));
    writeFileSync(
      path.join(linked, 'profiles', 'Real.profile-meta.xml'),
      '<Profile><custom>true</custom></Profile>',
    );
    symlinkSync('/dev/zero', path.join(linked, 'profiles', 'Zero.profile-meta.xml'));
    writeFileSync(path.join(linked, 'wave', 'Flow.wdf'), '{}');
    symlinkSync('/dev/zero', path.join(linked, 'wave', 'Flow.wdf-meta.xml'));
    const { code, stderr } = cli('check', '--metadata', linked, '--format', 'json');
    expect(code).not.toBe(2);
    expect(stderr).toContain(
      'note: profiles/Zero.profile-meta.xml is a symbolic link to /dev/zero, outside',
    );
    expect(stderr).toContain('note: wave/Flow.wdf-meta.xml is a symbolic link to /dev/zero');
    expect(stderr).toContain('Read 1 profile(s)');
  });

  it('a metadata file linked to a regular file inside the tree is read', () => {
    const linked = path.join(dir, 'linked-tree');
    mkdirSync(path.join(linked, 'shared'), { recursive: true });
    mkdirSync(path.join(linked, 'permissionsets'));
    writeFileSync(
      path.join(linked, 'permissionsets', 'P.permissionset-meta.xml'),
      '<PermissionSet/>',
    );
    writeFileSync(path.join(linked, 'shared', 'flow.json'), '{}');
    symlinkSync(path.join(linked, 'shared', 'flow.json'), path.join(linked, 'Linked.wdf'));
    const { code, stderr } = cli('check', '--metadata', linked, '--format', 'json');
    expect(stderr).toContain('1 analytics asset file(s)');
    expect(code).not.toBe(2);
  });
});

describe('size ceilings, checked before reading', () => {
  function sparse(file: string, size: number) {
    const fd = openSync(file, 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
  }

  it('a snapshot over the 500 MiB ceiling is refused without being read', () => {
    const big = path.join(dir, 'big.json');
    sparse(big, SNAPSHOT_MAX_BYTES + 1);
    expectOneLine(cli('check', '--facts', big), big, /over the 500 MiB ceiling/);
    rmSync(big);
  });

  it('a metadata file over the 64 MiB ceiling is refused', () => {
    const bigTree = path.join(dir, 'big-tree');
    mkdirSync(bigTree);
    sparse(path.join(bigTree, 'Big.profile-meta.xml'), METADATA_FILE_MAX_BYTES + 1);
    const { code, stderr } = cli('check', '--metadata', bigTree);
    expect(code).toBe(2);
    expect(stderr).toContain('Big.profile-meta.xml: 67,108,865 bytes is over the 64 MiB ceiling');
  });

  it('readRegularFile reads a regular file exactly', () => {
    expect(readRegularFile(DEFAULT_SNAPSHOT, SNAPSHOT_MAX_BYTES)).toBe(
      readFileSync(DEFAULT_SNAPSHOT, 'utf8'),
    );
    expect(() => readRegularFile(DEFAULT_SNAPSHOT, 10)).toThrow(
      /1\d,\d{3} bytes is over the 10 bytes ceiling/,
    );
  });
});

describe('the --metadata root', () => {
  it.each([
    ['missing', () => path.join(dir, 'no-such-dir'), /ENOENT/],
    ['a file', () => DEFAULT_SNAPSHOT, /ENOTDIR/],
    ['a FIFO', () => fifo, /ENOTDIR/],
    [
      'a symlink loop',
      () => {
        const loop = path.join(dir, 'loop');
        try {
          symlinkSync('loop', loop);
        } catch {
          // made by an earlier run of this case
        }
        return loop;
      },
      /ELOOP/,
    ],
  ])('%s: exit 2, one line', (_kind, root, reason) => {
    const file = root();
    expectOneLine(cli('check', '--metadata', file), `source directory ${file}`, reason);
  });

  it('a folder with no profile and no permission set in either layout: exit 2, one line', () => {
    const empty = path.join(dir, 'no-metadata');
    mkdirSync(path.join(empty, 'wave'), { recursive: true });
    writeFileSync(path.join(empty, 'wave', 'Flow.wdf'), '{}');
    expectOneLine(
      cli('check', '--metadata', empty),
      empty,
      /no profile or permission set found, in source format .* or in Metadata API format/,
    );
  });

  (isRoot ? it.skip : it)('an unreadable folder under it: exit 2, one line (EACCES)', () => {
    const locked = path.join(dir, 'locked-tree');
    mkdirSync(path.join(locked, 'secret'), { recursive: true });
    chmodSync(path.join(locked, 'secret'), 0o000);
    try {
      expectOneLine(cli('check', '--metadata', locked), locked, /EACCES/);
    } finally {
      chmodSync(path.join(locked, 'secret'), 0o755);
    }
  });
});

describe('outputs: --output and --save-facts', () => {
  it('--output into a missing folder: exit 2, one line', () => {
    const out = path.join(dir, 'missing-folder', 'report.json');
    expectOneLine(cli('check', '--output', out), out, /ENOENT/);
  });

  it('--output naming a directory: exit 2, one line (EISDIR)', () => {
    expectOneLine(cli('check', '--output', dir), dir, /EISDIR/);
  });

  (isRoot ? it.skip : it)('--output into a read-only folder: exit 2, one line (EACCES)', () => {
    const readOnly = path.join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o500);
    try {
      const out = path.join(readOnly, 'report.txt');
      expectOneLine(cli('check', '--output', out), out, /EACCES/);
    } finally {
      chmodSync(readOnly, 0o755);
    }
  });

  it('--save-facts into a missing folder: exit 2, one line', () => {
    const out = path.join(dir, 'missing-folder', 'facts.json');
    const result = cli('check', '--metadata', tree, '--save-facts', out);
    expect(result.code).toBe(2);
    const last = result.stderr.trimEnd().split('\n').pop() as string;
    expect(last).toMatch(/^analytics-health: Cannot write the facts to .*facts\.json: ENOENT/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('overlong strings in a snapshot', () => {
  it('names the JSON path of the first string over the limit', () => {
    expect(overlongStringPath({ users: [{ username: 'abcdefgh' }] }, 8)).toBeNull();
    expect(overlongStringPath({ users: [{ username: 'abcdefghi' }] }, 8)).toBe('users[0].username');
    expect(overlongStringPath({ a: { ['k'.repeat(9)]: 1 } }, 8)).toBe('a.kkkkkkkkk… (a key)');
    expect(overlongStringPath('abcdefghi', 8)).toBe('(the whole document)');
  });

  it.each(['table', 'csv'])(
    'a 200 MB username is refused with its JSON path (--format %s), no crash',
    (format) => {
      const facts = JSON.parse(readFileSync(DEFAULT_SNAPSHOT, 'utf8'));
      const huge = path.join(dir, 'huge-username.json');
      const marker = '"__HUGE__"';
      facts.users[0].username = '__HUGE__';
      const [before, after] = JSON.stringify(facts).split(marker);
      const fd = openSync(huge, 'w');
      writeFileSync(fd, `${before}"`);
      const chunk = 'x'.repeat(2 ** 20);
      for (let i = 0; i < 200; i++) writeFileSync(fd, chunk);
      writeFileSync(fd, `"${after}`);
      closeSync(fd);
      try {
        expectOneLine(
          cli('check', '--facts', huge, '--format', format),
          huge,
          /users\[0\]\.username: expected a string of at most 1,048,576 characters/,
        );
      } finally {
        rmSync(huge);
      }
    },
  );
});
