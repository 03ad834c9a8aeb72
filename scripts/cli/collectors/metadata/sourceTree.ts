/**
 * Reads the parts of a Salesforce source tree that decide whether CRM Analytics
 * keeps running: profiles, permission sets, org settings and analytics assets, in source
 * format (`force-app/…/profiles/X.profile-meta.xml`) or Metadata API format
 * (`src/profiles/X.profile`, next to `package.xml`); both layouts give the same facts.
 *
 * Every unreadable file is reported (file and line), not only the first. Only regular files of at
 * most METADATA_FILE_MAX_BYTES are read: a metadata file that is a FIFO or a device is such an
 * error, never a hang (a folder so named is walked like any folder). Symbolic links are followed when they resolve inside the tree
 * (each file is read once, however many links lead to it); a link that leads outside the tree or
 * cannot be resolved is skipped and named in a note, so nothing is left out without a word.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { FileReadError, METADATA_FILE_MAX_BYTES, readRegularFile } from '../../lib/regularFile';
import {
  MDAPI_PERMISSION_SET,
  MDAPI_PROFILE,
  MDAPI_SESSION_SETTING,
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
import {
  assetNameOf,
  parseDataflowFile,
  parseRecipeFile,
  type SourceAsset,
  type SourceAssetReference,
  type SourceDataset,
} from './waveAssets';

export interface SourceTree {
  root: string;
  profiles: SourceProfile[];
  permissionSets: SourcePermissionSet[];
  settings: SourceSetting[];
  sessionSettings: SourceSessionSetting[];
  references: SourceAssetReference[];
  /** Datasets the analytics assets register with a security predicate or a sharing source. */
  datasets: SourceDataset[];
  /** Analytics asset files read, including those that read no Salesforce data. */
  assetFiles: string[];
  /** Files skipped on purpose (links outside the tree, broken links), one line each. */
  notes: string[];
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

/**
 * The tree holds no profile and no permission set in either layout: most likely the wrong
 * folder, and a report on it would pass rules on principals it never saw.
 */
export class NoMetadataError extends Error {
  override name = 'NoMetadataError';
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.sf', '.sfdx', 'coverage']);

type Kind =
  | 'profile'
  | 'permissionSet'
  | 'sessionSetting'
  | 'settings'
  | 'dataflow'
  | 'recipe'
  | 'templateDataflow'
  /** The `-meta.xml` companion of a dataflow or recipe, read with its asset. */
  | 'assetMeta';

/** A file in its type's folder with the Metadata API suffix (`profiles/X.profile`). */
function isMdapi(relative: string, type: { suffix: string; folder: string }): boolean {
  const name = path.basename(relative);
  return (
    name.length > type.suffix.length &&
    name.endsWith(type.suffix) &&
    path.basename(path.dirname(relative)) === type.folder
  );
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

/** What a file is, by its name and folder in either layout; null for files the reader skips. */
function kindOf(relative: string): Kind | null {
  const name = path.basename(relative);
  if (name.endsWith(PROFILE_SUFFIX) || isMdapi(relative, MDAPI_PROFILE)) return 'profile';
  if (name.endsWith(PERMISSION_SET_SUFFIX) || isMdapi(relative, MDAPI_PERMISSION_SET)) {
    return 'permissionSet';
  }
  if (name.endsWith(SESSION_SETTING_SUFFIX) || isMdapi(relative, MDAPI_SESSION_SETTING)) {
    return 'sessionSetting';
  }
  if (isSettingsFile(relative)) return 'settings';
  if (/\.(wdf|wdpr)-meta\.xml$/i.test(name)) return 'assetMeta';
  if (/\.wdf$/i.test(name)) return 'dataflow';
  if (/\.wdpr$/i.test(name)) return 'recipe';
  if (isTemplateDataflow(relative)) return 'templateDataflow';
  return null;
}

const isInside = (root: string, target: string) => {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

interface Candidate {
  /** The path to open: through the link when the file was reached through one. */
  full: string;
  /** Relative to the root, as the tree shows it (the link's name, not the target's). */
  file: string;
  kind: Kind;
  /** The resolved path: the same file reached twice is read once. */
  real: string;
}

/**
 * The metadata files of the tree. Folders are walked first as they are; links are resolved
 * afterwards, so a file reachable both directly and through a link is read at its own place.
 * A linked folder is walked under the link's name (`src/profiles` linked to a folder named
 * otherwise still holds profiles), at most once per resolved folder; each link is followed
 * once, by where it sits, which ends loops (a link to `..` leads back to links already met).
 */
function collect(root: string): { candidates: Candidate[]; notes: string[] } {
  const realRoot = realpathSync(root);
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  const walkedThroughLinks = new Set<string>();
  const seenLinks = new Set<string>();
  const links: { full: string; file: string }[] = [];

  const walk = (directory: string, realDirectory: string, throughLink: boolean) => {
    if (throughLink) walkedThroughLinks.add(realDirectory);
    const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      const file = path.relative(root, full) || entry.name;
      if (SKIPPED_DIRECTORIES.has(entry.name)) {
        // Dependencies and tool state, as a folder or a link to one.
        if (entry.isDirectory() || entry.isSymbolicLink()) continue;
      }
      if (entry.isSymbolicLink()) {
        const location = path.join(realDirectory, entry.name);
        if (!seenLinks.has(location)) {
          seenLinks.add(location);
          links.push({ full, file });
        }
      } else if (entry.isDirectory()) {
        walk(full, path.join(realDirectory, entry.name), throughLink);
      } else {
        // Files, and also FIFOs and devices: those named like metadata are refused when read.
        const kind = kindOf(file);
        if (kind) candidates.push({ full, file, kind, real: path.join(realDirectory, entry.name) });
      }
    }
  };

  walk(root, realRoot, false);
  // Links found while walking a linked folder join the queue.
  for (let i = 0; i < links.length; i++) {
    const { full, file } = links[i];
    const kind = kindOf(file);
    let real: string;
    try {
      real = realpathSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      // A broken link is worth a word only where a metadata file or a folder could have been.
      if (kind || !path.extname(file)) {
        notes.push(`${file} is a symbolic link that cannot be resolved (${code}): skipped.`);
      }
      continue;
    }
    if (!isInside(realRoot, real)) {
      let isDirectory = false;
      try {
        isDirectory = statSync(real).isDirectory();
      } catch {
        // Outside the tree and not readable: skipped like a file.
      }
      if (kind || isDirectory) {
        notes.push(
          `${file} is a symbolic link to ${real}, outside ${root}: skipped (only links inside the tree are followed).`,
        );
      }
      continue;
    }
    if (statSync(real).isDirectory()) {
      if (!walkedThroughLinks.has(real)) walk(full, real, true);
    } else if (kind) {
      candidates.push({ full, file, kind, real });
    }
  }
  // Read each file once: the first way to it wins, and files met directly come first.
  const seen = new Set<string>();
  const unique = candidates.filter((c) => {
    if (seen.has(c.real)) return false;
    seen.add(c.real);
    return true;
  });
  return { candidates: unique, notes };
}

const read = (full: string) => readRegularFile(full, METADATA_FILE_MAX_BYTES);

interface AssetMeta {
  label: string | null;
  /** WaveRecipe only: the recipe's security predicate and the dataset it saves into. */
  securityPredicate: string | null;
  targetDatasetAlias: string | null;
}

/** The asset's `-meta.xml` companion (label, and for recipes their predicate), if any. */
function assetMeta(companion: Candidate | undefined, root: string): AssetMeta {
  if (!companion) return { label: null, securityPredicate: null, targetDatasetAlias: null };
  let text: string;
  try {
    text = read(companion.full);
  } catch (error) {
    if (error instanceof FileReadError) throw new SourceFileError(companion.file, error.reason);
    throw error;
  }
  const element = parseMetadataXml(text, companion.file, root);
  return {
    label: xmlText(element.masterLabel),
    securityPredicate: xmlText(element.securityPredicate)?.trim() || null,
    targetDatasetAlias: xmlText(element.targetDatasetAlias)?.trim() || null,
  };
}

/**
 * A recipe's predicate may be set on its metadata (`securityPredicate`, `targetDatasetAlias`)
 * rather than in its definition: it applies to the dataset the recipe saves into.
 */
function withMetaPredicate(asset: SourceAsset, meta: AssetMeta, file: string, name: string) {
  const { securityPredicate, targetDatasetAlias } = meta;
  if (!securityPredicate || !targetDatasetAlias) return;
  const dataset = asset.datasets.find(
    (d) => d.name.toLowerCase() === targetDatasetAlias.toLowerCase(),
  );
  if (dataset) {
    dataset.predicate ??= securityPredicate;
    return;
  }
  asset.datasets.push({
    name: targetDatasetAlias,
    label: null,
    predicate: securityPredicate,
    sharingSource: null,
    assetType: 'recipe',
    assetName: name,
    file,
  });
}

/** Reads one metadata file into the tree; throws SourceFileError or FileReadError. */
function readInto(
  tree: SourceTree,
  { full, file, kind }: Candidate,
  companions: Map<string, Candidate>,
): void {
  switch (kind) {
    case 'profile':
      tree.profiles.push(parseProfile(read(full), file));
      return;
    case 'permissionSet':
      tree.permissionSets.push(parsePermissionSet(read(full), file));
      return;
    case 'sessionSetting':
      tree.sessionSettings.push(parseSessionSetting(read(full), file));
      return;
    case 'settings':
      tree.settings.push(...parseSettingsFile(read(full), file));
      return;
    case 'dataflow':
    case 'templateDataflow': {
      tree.assetFiles.push(file);
      const label =
        kind === 'dataflow' ? assetMeta(companions.get(file), 'WaveDataflow').label : null;
      const asset = parseDataflowFile(read(full), file, label);
      tree.references.push(...asset.references);
      tree.datasets.push(...asset.datasets);
      return;
    }
    case 'recipe': {
      tree.assetFiles.push(file);
      const meta = assetMeta(companions.get(file), 'WaveRecipe');
      const asset = parseRecipeFile(read(full), file, meta.label);
      withMetaPredicate(asset, meta, file, meta.label ?? assetNameOf(file));
      tree.references.push(...asset.references);
      tree.datasets.push(...asset.datasets);
      break;
    }
    default:
    // 'assetMeta': read with its asset.
  }
}

export function readSourceTree(root: string): SourceTree {
  const tree: SourceTree = {
    root,
    profiles: [],
    permissionSets: [],
    settings: [],
    sessionSettings: [],
    references: [],
    datasets: [],
    assetFiles: [],
    notes: [],
  };
  const { candidates, notes } = collect(root);
  tree.notes.push(...notes);
  const companions = new Map(
    candidates
      .filter((c) => c.kind === 'assetMeta')
      .map((c) => [c.file.slice(0, -'-meta.xml'.length), c]),
  );
  const errors: SourceFileError[] = [];
  for (const candidate of candidates) {
    try {
      readInto(tree, candidate, companions);
    } catch (error) {
      const { file } = candidate;
      if (error instanceof SourceFileError) errors.push(error);
      else if (error instanceof FileReadError) errors.push(new SourceFileError(file, error.reason));
      else errors.push(new SourceFileError(file, (error as Error).message));
    }
  }
  if (errors.length > 0) throw new SourceTreeError(errors);
  if (tree.profiles.length === 0 && tree.permissionSets.length === 0) {
    throw new NoMetadataError(
      'no profile or permission set found, in source format (*.profile-meta.xml, *.permissionset-meta.xml) or in Metadata API format (profiles/*.profile, permissionsets/*.permissionset)',
    );
  }
  return tree;
}
