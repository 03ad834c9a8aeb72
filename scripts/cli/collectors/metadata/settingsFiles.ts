/**
 * Org settings, in source format (`Security.settings-meta.xml`) or Metadata API format
 * (`settings/Security.settings`). Each file sets only the values it contains; a value absent
 * from the file leaves the baseline's value (or unknown) in place.
 */
import path from 'node:path';
import type { OrgFacts } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { parseMetadataXml, xmlBoolean, type XmlElement } from './sourceXml';

export type SettingName = keyof OrgFacts['settings'];

export interface SourceSetting {
  file: string;
  setting: SettingName;
  value: boolean;
}

interface SettingsFileShape {
  root: string;
  read: (root: XmlElement) => Partial<Record<SettingName, boolean | null>>;
}

const child = (value: unknown): XmlElement =>
  typeof value === 'object' && value !== null ? (value as XmlElement) : {};

/** Settings name (`Security.settings`) → where its values live. */
export const SETTINGS_FILES: Readonly<Record<string, SettingsFileShape>> = {
  'Security.settings': {
    root: 'SecuritySettings',
    read: (root) => ({
      enforceIpRangesEveryRequest: xmlBoolean(
        child(root.sessionSettings).enforceIpRangesEveryRequest,
      ),
    }),
  },
  'UserManagement.settings': {
    root: 'UserManagementSettings',
    read: (root) => ({ profileFilteringEnabled: xmlBoolean(root.enableProfileFiltering) }),
  },
  // Present only once Salesforce Support has enabled API Access Control in the org.
  'ConnectedApp.settings': {
    root: 'ConnectedAppSettings',
    read: (root) => ({ apiAccessControlEnabled: xmlBoolean(root.enableAdminApprovedAppsOnly) }),
  },
};

/**
 * The settings name of a file: `X.settings-meta.xml` anywhere (source format), or `X.settings`
 * in a `settings` folder (Metadata API format); null for any other file.
 */
function settingsName(file: string): string | null {
  const base = path.basename(file);
  if (base.endsWith('.settings-meta.xml')) return base.slice(0, -'-meta.xml'.length);
  if (base.endsWith('.settings') && path.basename(path.dirname(file)) === 'settings') return base;
  return null;
}

export function isSettingsFile(file: string): boolean {
  const name = settingsName(file);
  return name !== null && Object.hasOwn(SETTINGS_FILES, name);
}

export function parseSettingsFile(text: string, file: string): SourceSetting[] {
  const shape = SETTINGS_FILES[settingsName(file) as string];
  const values = shape.read(parseMetadataXml(text, file, shape.root));
  const settings: SourceSetting[] = [];
  for (const [setting, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) {
      settings.push({ file, setting: setting as SettingName, value });
    }
  }
  return settings;
}
