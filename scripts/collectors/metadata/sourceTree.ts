/**
 * Reads the parts of a Salesforce source tree that decide whether CRM Analytics
 * keeps running: profiles, permission sets, org settings and analytics assets.
 * Every unreadable file is reported (file and line), not only the first. Only regular files of at
 * most METADATA_FILE_MAX_BYTES are read: a metadata file that is a FIFO, a device (a symbolic link
 * to /dev/zero) or a directory is such an error, never a hang.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FileReadError, METADATA_FILE_MAX_BYTES, readRegularFile } from '../../lib/regularFile';
import {
  PERMISSION_SET_SUFFIX,
  PROFILE_SUFFIX,
  SESSION_SETTING_SUFFIX,
  parsePermissionSet,
  parseProfile,
  parseSessionSetting,
  type SourceSessionSetting,
  type SourcePermissionSet,
  type SourceProfile,
} from './permissionFiles';
import { isSettingsFile, parseSettingsFile, type SourceSetting } from './settingsFiles';
import { SourceFileError, parseMetadataXml, xmlText } from './sourceXml';
import { parseDataflowFile, parseRecipeFile, type SourceAssetReference } from './waveAssets';

export interface SourceTree {
  root: string;
  profiles: SourceProfile[];
  permissionSets: SourcePermissionSet[];
  settings: SourceSetting[];
  sessionSettings: SourceSessionSetting[];
  references: SourceAssetReference[];
  /** Analytics asset files read, including those that read no Salesforce data. */
  assetFiles: string[];
}

/** One or more files of the tree cannot be read; `errors` holds each with file and line. */
export class SourceTreeError extends Error {
  override name = 'SourceTreeError';
  readonly errors: SourceFileError[];
  constructor(errors: SourceFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.errors = errors;
  }
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.sf', '.sfdx', 'coverage']);

function* walk(directory: string): Generator<string> {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) yield* walk(full);
    } else {
      // Files, and also links, FIFOs and devices: readSourceTree reads the ones named like
      // metadata, and readRegularFile refuses any that is not a regular file.
      yield full;
    }
  }
}

/** A template's dataflow: JSON under `waveTemplates/` in a `dataflow(s)` folder or so named. */
function isTemplateDataflow(relative: string): boolean {
  if (!relative.toLowerCase().endsWith('.json')) return false;
  const parts = relative.split(/[\\/]/);
  if (!parts.includes('waveTemplates')) return false;
  return (
    parts.slice(0, -1).some((p) => /^dataflows?$/i.test(p)) ||
    /dataflow/i.test(parts[parts.length - 1])
  );
}

/** The label admins see, from the asset's `-meta.xml` companion (`<masterLabel>`), if any. */
function assetLabel(full: string, file: string, root: string): string | null {
  let text: string;
  try {
    text = readRegularFile(`${full}-meta.xml`, METADATA_FILE_MAX_BYTES);
  } catch (error) {
    if (error instanceof FileReadError && error.code === 'ENOENT') return null;
    if (error instanceof FileReadError) throw new SourceFileError(`${file}-meta.xml`, error.reason);
    throw error;
  }
  const element = parseMetadataXml(text, `${file}-meta.xml`, root);
  return xmlText(element.masterLabel);
}

const read = (full: string) => readRegularFile(full, METADATA_FILE_MAX_BYTES);

export function readSourceTree(root: string): SourceTree {
  const tree: SourceTree = {
    root,
    profiles: [],
    permissionSets: [],
    settings: [],
    sessionSettings: [],
    references: [],
    assetFiles: [],
  };
  const errors: SourceFileError[] = [];
  for (const full of walk(root)) {
    const file = path.relative(root, full) || path.basename(full);
    const name = path.basename(full);
    try {
      if (name.endsWith(PROFILE_SUFFIX)) {
        tree.profiles.push(parseProfile(read(full), file));
      } else if (name.endsWith(PERMISSION_SET_SUFFIX)) {
        tree.permissionSets.push(parsePermissionSet(read(full), file));
      } else if (name.endsWith(SESSION_SETTING_SUFFIX)) {
        tree.sessionSettings.push(parseSessionSetting(read(full), file));
      } else if (isSettingsFile(name)) {
        tree.settings.push(...parseSettingsFile(read(full), file));
      } else if (/\.wdf$/i.test(name) || isTemplateDataflow(file)) {
        tree.assetFiles.push(file);
        const label = /\.wdf$/i.test(name) ? assetLabel(full, file, 'WaveDataflow') : null;
        tree.references.push(...parseDataflowFile(read(full), file, label));
      } else if (/\.wdpr$/i.test(name)) {
        tree.assetFiles.push(file);
        const label = assetLabel(full, file, 'WaveRecipe');
        tree.references.push(...parseRecipeFile(read(full), file, label));
      }
    } catch (error) {
      if (error instanceof SourceFileError) errors.push(error);
      else if (error instanceof FileReadError) errors.push(new SourceFileError(file, error.reason));
      else errors.push(new SourceFileError(file, (error as Error).message));
    }
  }
  if (errors.length > 0) throw new SourceTreeError(errors);
  return tree;
}
