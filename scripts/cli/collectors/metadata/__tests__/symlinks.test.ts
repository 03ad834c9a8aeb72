/**
 * Symbolic links in a source tree: followed when they resolve inside the tree (each file read
 * once), skipped with a note otherwise, and never a hang on a loop. Each case builds its tree in
 * a temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { overlaySource } from '../overlay';
import { readSourceTree } from '../sourceTree';

const PROFILE =
  '<Profile><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></Profile>';
const SET = '<PermissionSet><label>Set</label></PermissionSet>';

let dir: string;
let tree: string;
let outside: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ah-links-'));
  tree = path.join(dir, 'tree');
  outside = path.join(dir, 'outside');
  mkdirSync(path.join(tree, 'profiles'), { recursive: true });
  mkdirSync(path.join(tree, 'permissionsets'));
  mkdirSync(outside);
  writeFileSync(path.join(tree, 'permissionsets', 'Base.permissionset-meta.xml'), SET);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const link = (target: string, ...at: string[]) => symlinkSync(target, path.join(tree, ...at));

describe('links inside the tree', () => {
  it('reads a profile linked from a shared file under its link name', () => {
    mkdirSync(path.join(tree, 'shared'));
    writeFileSync(path.join(tree, 'shared', 'integration.xml'), PROFILE);
    link(
      '../shared/integration.xml',
      'profiles',
      'Analytics Cloud Integration User.profile-meta.xml',
    );
    const read = readSourceTree(tree);
    expect(read.profiles.map((p) => [p.name, p.file])).toEqual([
      [
        'Analytics Cloud Integration User',
        path.join('profiles', 'Analytics Cloud Integration User.profile-meta.xml'),
      ],
    ]);
    expect(read.profiles[0].permissions.userPermissions).toEqual(['ApiEnabled']);
    expect(read.notes).toEqual([]);
  });

  it('reads a file reached directly and through links once, at its own place', () => {
    writeFileSync(path.join(tree, 'profiles', 'P.profile-meta.xml'), PROFILE);
    link('P.profile-meta.xml', 'profiles', 'A_Alias.profile-meta.xml');
    // A folder linked inside the tree, and a loop back to the root.
    link('profiles', 'profiles-link');
    link('.', 'loop');
    const read = readSourceTree(tree);
    expect(read.profiles.map((p) => p.file)).toEqual([path.join('profiles', 'P.profile-meta.xml')]);
    expect(read.permissionSets).toHaveLength(1);
    expect(read.notes).toEqual([]);
  });

  it('reads a linked folder under the link name: src/profiles linked to a folder named otherwise', () => {
    mkdirSync(path.join(tree, 'shared', 'integration-profiles'), { recursive: true });
    writeFileSync(path.join(tree, 'shared', 'integration-profiles', 'Int.profile'), PROFILE);
    mkdirSync(path.join(tree, 'src'));
    link('../shared/integration-profiles', 'src', 'profiles');
    const read = readSourceTree(tree);
    // At its own place the file is no profile (wrong folder); through the link it is one.
    expect(read.profiles.map((p) => [p.name, p.file])).toEqual([
      ['Int', path.join('src', 'profiles', 'Int.profile')],
    ]);
    expect(read.notes).toEqual([]);
  });

  it('walks a linked folder that is not otherwise in the walk, and ends nested loops', () => {
    // node_modules is never walked, but a link into it is followed like any other.
    mkdirSync(path.join(tree, 'node_modules', 'pkg', 'profiles'), { recursive: true });
    writeFileSync(
      path.join(tree, 'node_modules', 'pkg', 'profiles', 'Q.profile-meta.xml'),
      PROFILE,
    );
    link('node_modules/pkg', 'vendor');
    link('..', 'node_modules', 'pkg', 'profiles', 'up');
    // Two folders linked to each other.
    mkdirSync(path.join(tree, 'a'));
    mkdirSync(path.join(tree, 'b'));
    link('../b', 'a', 'to-b');
    link('../a', 'b', 'to-a');
    const read = readSourceTree(tree);
    expect(read.profiles.map((p) => p.file)).toEqual([
      path.join('vendor', 'profiles', 'Q.profile-meta.xml'),
    ]);
  });
});

describe('links that are skipped, each with a note', () => {
  it('a file or a folder outside the tree', () => {
    writeFileSync(path.join(outside, 'Far.profile-meta.xml'), PROFILE);
    link(path.join(outside, 'Far.profile-meta.xml'), 'profiles', 'Far.profile-meta.xml');
    link(outside, 'more');
    // A link outside that is not metadata and not a folder is nobody's concern.
    writeFileSync(path.join(outside, 'notes.txt'), 'x');
    link(path.join(outside, 'notes.txt'), 'notes.txt');
    const read = readSourceTree(tree);
    expect(read.profiles).toEqual([]);
    expect(read.notes).toEqual([
      `more is a symbolic link to ${outside}, outside ${tree}: skipped (only links inside the tree are followed).`,
      `${path.join('profiles', 'Far.profile-meta.xml')} is a symbolic link to ${path.join(outside, 'Far.profile-meta.xml')}, outside ${tree}: skipped (only links inside the tree are followed).`,
    ]);
    // The notes reach the admin with the overlay's own.
    expect(overlaySource(read, null, new Date()).notes.slice(0, 2)).toEqual(read.notes);
  });

  it('a device (/dev/zero) named like metadata: skipped, never read', () => {
    link('/dev/zero', 'profiles', 'Zero.profile-meta.xml');
    mkdirSync(path.join(tree, 'wave'));
    writeFileSync(path.join(tree, 'wave', 'Flow.wdf'), '{}');
    link('/dev/zero', 'wave', 'Flow.wdf-meta.xml');
    const read = readSourceTree(tree);
    expect(read.notes).toHaveLength(2);
    expect(read.notes.join('\n')).toContain(
      `${path.join('profiles', 'Zero.profile-meta.xml')} is a symbolic link to /dev/zero, outside`,
    );
    expect(read.notes.join('\n')).toContain(`${path.join('wave', 'Flow.wdf-meta.xml')} is a`);
    // The dataflow itself is read, under its file name since its label is skipped.
    expect(read.assetFiles).toEqual([path.join('wave', 'Flow.wdf')]);
  });

  it('a broken link and a link to itself', () => {
    link('missing.xml', 'profiles', 'Gone.profile-meta.xml');
    link('Self.profile-meta.xml', 'profiles', 'Self.profile-meta.xml');
    const read = readSourceTree(tree);
    expect(read.notes).toEqual([
      `${path.join('profiles', 'Gone.profile-meta.xml')} is a symbolic link that cannot be resolved (ENOENT): skipped.`,
      `${path.join('profiles', 'Self.profile-meta.xml')} is a symbolic link that cannot be resolved (ELOOP): skipped.`,
    ]);
  });
});

describe('files that are not regular files', () => {
  it('are still refused, directly or through a link inside the tree', () => {
    execFileSync('mkfifo', [path.join(tree, 'pipe')]);
    link('../pipe', 'profiles', 'Pipe.profile-meta.xml');
    execFileSync('mkfifo', [path.join(tree, 'permissionsets', 'Fifo.permissionset-meta.xml')]);
    let message = '';
    try {
      readSourceTree(tree);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      `${path.join('permissionsets', 'Fifo.permissionset-meta.xml')}: a FIFO (named pipe), not a regular file`,
      `${path.join('profiles', 'Pipe.profile-meta.xml')}: a FIFO (named pipe), not a regular file`,
    ]);
  });
});
