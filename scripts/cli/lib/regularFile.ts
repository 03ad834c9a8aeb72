/**
 * Input files are read only when they are regular files of a bounded size: a FIFO would block the
 * read forever, a device such as /dev/zero never ends, a directory is not a file, and a file larger
 * than the ceiling is refused before a byte of it is read. The file is opened without blocking and
 * judged on the open descriptor, so a path swapped between the check and the read changes nothing.
 */
import {
  close,
  closeSync,
  constants,
  fstatSync,
  openSync,
  read,
  readFileSync,
  type Stats,
} from 'node:fs';

const MiB = 2 ** 20;

/**
 * The largest org snapshot (`--facts`) or acknowledgements file read: 500 MiB. A snapshot of a very
 * large org is around 100 MB; 500 MiB also stays below the longest string V8 can hold (~512 MiB).
 */
export const SNAPSHOT_MAX_BYTES = 500 * MiB;

/** The largest single metadata file of a source tree read (a profile, a dataflow, …): 64 MiB. */
export const METADATA_FILE_MAX_BYTES = 64 * MiB;

/** A file that cannot or may not be read; `reason` is one line, `code` the errno or the rule. */
export class FileReadError extends Error {
  override name = 'FileReadError';
  readonly file: string;
  readonly reason: string;
  readonly code: string;
  constructor(file: string, reason: string, code: string) {
    super(`${file}: ${reason}`);
    this.file = file;
    this.reason = reason;
    this.code = code;
  }
}

/** One line for a file-system error: "ENOENT: no such file or directory", without the path. */
export function fsReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const message = String(e?.message ?? error).split('\n')[0];
  return e?.syscall ? message.replace(/, \w+ '.*'$/, '') : message;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A size as people read it: "64 MiB", "1.5 MiB", "120 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < MiB) return `${bytes} bytes`;
  const mib = bytes / MiB;
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}

/**
 * The text (UTF-8) of `file` when it is a regular file (symbolic links followed) of at most
 * `maxBytes`; otherwise a FileReadError saying why, in one line.
 */
export function readRegularFile(file: string, maxBytes: number): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new FileReadError(file, fsReason(error), (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const kind = kindOf(stats);
      throw new FileReadError(
        file,
        kind === 'not a regular file' ? kind : `${kind}, not a regular file`,
        'ENOTREG',
      );
    }
    if (stats.size > maxBytes) {
      throw new FileReadError(
        file,
        `${stats.size.toLocaleString('en-US')} bytes is over the ${formatBytes(maxBytes)} ceiling for this file`,
        'ETOOBIG',
      );
    }
    return readFileSync(fd, 'utf8');
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError(file, fsReason(error), (error as NodeJS.ErrnoException).code ?? 'EIO');
  } finally {
    closeSync(fd);
  }
}

/**
 * A file read ahead of need (prefetchRegularFile): its text, handed over once. Its bytes are
 * freed as soon as they are decoded, so a 100 MB snapshot is not held twice while it is parsed.
 */
export interface PrefetchedFile {
  /** The path as the caller will ask for it. */
  readonly file: string;
  /** The text (UTF-8) the first time; null after that. */
  takeText(): string | null;
}

/** A prefetched file's text, handed over once. Takes `bytes` over: they are emptied when read. */
export function prefetchedFile(file: string, bytes: Buffer): PrefetchedFile {
  let held: Buffer | null = bytes;
  return {
    file,
    takeText() {
      const taken = held;
      if (!taken) return null;
      held = null;
      const text = taken.toString('utf8');
      // The bytes belong to an object that may already be old, which only a full collection
      // frees: their memory moves to a new object, dropped at once, which the next minor
      // collection frees.
      // Only a large buffer: a small one may share Node's buffer pool with others.
      if (taken.buffer.byteLength > 64 * 1024 && typeof structuredClone === 'function') {
        structuredClone(taken.buffer, { transfer: [taken.buffer] });
      }
      return text;
    },
  };
}

/**
 * Starts reading a regular file of at most `maxBytes` on Node's background threads, so the
 * process can load its code meanwhile (the CLI does, for a large snapshot). Opened and checked
 * now; the bytes come in one read request, which goes on even while the main thread is busy.
 * Any problem (not a regular file, too large, unreadable, changed while read) gives null: the
 * caller then reads the file with readRegularFile, which says what is wrong.
 */
export function prefetchRegularFile(file: string, maxBytes: number): Promise<Buffer | null> {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return Promise.resolve(null);
  }
  try {
    const stats = fstatSync(fd);
    size = stats.size;
    if (!stats.isFile() || size > maxBytes) {
      closeSync(fd);
      return Promise.resolve(null);
    }
  } catch {
    closeSync(fd);
    return Promise.resolve(null);
  }
  // One byte more than the file's size: a read that fills it means the file grew meanwhile.
  const buffer = Buffer.allocUnsafe(size + 1);
  return new Promise((resolve) => {
    const done = (bytes: Buffer | null) => close(fd, () => resolve(bytes));
    const readFrom = (offset: number) =>
      read(fd, buffer, offset, buffer.length - offset, offset, (error, count) => {
        if (error) done(null);
        else if (count === 0) done(offset === size ? buffer.subarray(0, size) : null);
        else if (offset + count > size) done(null);
        else readFrom(offset + count);
      });
    readFrom(0);
  });
}
