/**
 * Input files are read only when they are regular files of a bounded size: a FIFO would block the
 * read forever, a device such as /dev/zero never ends, a directory is not a file, and a file larger
 * than the ceiling is refused before a byte of it is read. The file is opened without blocking and
 * judged on the open descriptor, so a path swapped between the check and the read changes nothing.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';

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
