/**
 * Org settings in source format. Each file sets only the values it contains; a
 * value absent from the file leaves the baseline's value (or unknown) in place.
 */
import path from 'node:path';
import type { OrgFacts } from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
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

/** File name (source format) → where its values live. */
export const SETTINGS_FILES: Readonly<Record<string, SettingsFileShape>> = {
  'Security.settings-meta.xml': {
    root: 'SecuritySettings',
    read: (root) => ({
      enforceIpRangesEveryRequest: xmlBoolean(
        child(root.sessionSettings).enforceIpRangesEveryRequest,
      ),
    }),
  },
  'UserManagement.settings-meta.xml': {
    root: 'UserManagementSettings',
    read: (root) => ({ profileFilteringEnabled: xmlBoolean(root.enableProfileFiltering) }),
  },
  // Present only once Salesforce Support has enabled API Access Control in the org.
  'ConnectedApp.settings-meta.xml': {
    root: 'ConnectedAppSettings',
    read: (root) => ({ apiAccessControlEnabled: xmlBoolean(root.enableAdminApprovedAppsOnly) }),
  },
};

export function isSettingsFile(file: string): boolean {
  return Object.hasOwn(SETTINGS_FILES, path.basename(file));
}

export function parseSettingsFile(text: string, file: string): SourceSetting[] {
  const shape = SETTINGS_FILES[path.basename(file)];
  const values = shape.read(parseMetadataXml(text, file, shape.root));
  const settings: SourceSetting[] = [];
  for (const [setting, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) {
      settings.push({ file, setting: setting as SettingName, value });
    }
  }
  return settings;
}
