/**
 * Profiles (`*.profile-meta.xml`) and permission sets (`*.permissionset-meta.xml`)
 * in source format. Retrieved files list only what is enabled, so inside a file
 * that has permission sections an absent permission is off. A file with no
 * permission section at all was retrieved without them: its permissions are
 * unknown (`permissions: null`), never "none".
 */
import path from 'node:path';
import type {
  IpRange,
  LoginHours,
} from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { DAYS } from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  SourceFileError,
  parseMetadataXml,
  xmlBoolean,
  xmlList,
  xmlText,
  type XmlElement,
} from './sourceXml';

export interface SourcePermissions {
  userPermissions: string[];
  objects: { object: string; read: boolean; viewAll: boolean }[];
  fields: { field: string; read: boolean }[];
}

export interface SourceProfile {
  kind: 'profile';
  file: string;
  name: string;
  isCustom: boolean | null;
  userLicense: string | null;
  loginIpRanges: IpRange[];
  loginHours: LoginHours;
  permissions: SourcePermissions | null;
}

export interface SourcePermissionSet {
  kind: 'permissionSet';
  file: string;
  name: string;
  label: string | null;
  permissions: SourcePermissions | null;
}

export const PROFILE_SUFFIX = '.profile-meta.xml';
export const PERMISSION_SET_SUFFIX = '.permissionset-meta.xml';

/** The component name is the file name; retrieved names encode characters such as ":" (%3A). */
export function componentName(file: string, suffix: string): string {
  const base = path.basename(file).slice(0, -suffix.length);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

function permissionsOf(root: XmlElement, file: string): SourcePermissions | null {
  const hasSections =
    root.userPermissions !== undefined ||
    root.objectPermissions !== undefined ||
    root.fieldPermissions !== undefined;
  if (!hasSections) return null;
  const userPermissions: string[] = [];
  for (const entry of xmlList(root.userPermissions)) {
    const name = xmlText(entry.name);
    if (!name) throw new SourceFileError(file, 'a <userPermissions> entry has no <name>');
    if (xmlBoolean(entry.enabled) === true) userPermissions.push(name);
  }
  const objects = xmlList(root.objectPermissions).map((entry) => {
    const object = xmlText(entry.object);
    if (!object) throw new SourceFileError(file, 'an <objectPermissions> entry has no <object>');
    return {
      object,
      read: xmlBoolean(entry.allowRead) === true,
      viewAll: xmlBoolean(entry.viewAllRecords) === true,
    };
  });
  const fields = xmlList(root.fieldPermissions).map((entry) => {
    const field = xmlText(entry.field);
    if (!field) throw new SourceFileError(file, 'a <fieldPermissions> entry has no <field>');
    return { field, read: xmlBoolean(entry.readable) === true };
  });
  return { userPermissions, objects, fields };
}

function loginIpRangesOf(root: XmlElement, file: string): IpRange[] {
  return xmlList(root.loginIpRanges).map((entry) => {
    const start = xmlText(entry.startAddress);
    const end = xmlText(entry.endAddress);
    if (!start || !end) {
      throw new SourceFileError(
        file,
        'a <loginIpRanges> entry needs <startAddress> and <endAddress>',
      );
    }
    const description = xmlText(entry.description);
    return description ? { start, end, description } : { start, end };
  });
}

function minutes(value: unknown, file: string, element: string): number {
  const text = xmlText(value);
  const number = text === null ? NaN : Number(text);
  if (!Number.isInteger(number) || number < 0 || number > 1440) {
    throw new SourceFileError(file, `<${element}> must be minutes after midnight (0–1440)`);
  }
  return number;
}

/** `<loginHours>` holds `mondayStart`/`mondayEnd`…; a day without both is unrestricted. */
function loginHoursOf(root: XmlElement, file: string): LoginHours {
  const hours: LoginHours = {};
  const element = root.loginHours;
  if (typeof element !== 'object' || element === null) return hours;
  const days = element as XmlElement;
  for (const day of DAYS) {
    const start = days[`${day}Start`];
    const end = days[`${day}End`];
    if (start === undefined && end === undefined) continue;
    hours[day] = {
      start: minutes(start, file, `${day}Start`),
      end: minutes(end, file, `${day}End`),
    };
  }
  return hours;
}

export function parseProfile(text: string, file: string): SourceProfile {
  const root = parseMetadataXml(text, file, 'Profile');
  return {
    kind: 'profile',
    file,
    name: componentName(file, PROFILE_SUFFIX),
    isCustom: xmlBoolean(root.custom),
    userLicense: xmlText(root.userLicense),
    loginIpRanges: loginIpRangesOf(root, file),
    loginHours: loginHoursOf(root, file),
    permissions: permissionsOf(root, file),
  };
}

export function parsePermissionSet(text: string, file: string): SourcePermissionSet {
  const root = parseMetadataXml(text, file, 'PermissionSet');
  return {
    kind: 'permissionSet',
    file,
    name: componentName(file, PERMISSION_SET_SUFFIX),
    label: xmlText(root.label),
    permissions: permissionsOf(root, file),
  };
}

export const SESSION_SETTING_SUFFIX = '.profileSessionSetting-meta.xml';

/** A profile's session settings; a file without a required level requires none. */
export interface SourceSessionSetting {
  file: string;
  profile: string;
  requiredSessionLevel: 'NONE' | 'STANDARD' | 'HIGH_ASSURANCE';
}

export function parseSessionSetting(text: string, file: string): SourceSessionSetting {
  const root = parseMetadataXml(text, file, 'ProfileSessionSetting');
  const profile = xmlText(root.profile) ?? componentName(file, SESSION_SETTING_SUFFIX);
  const level = xmlText(root.requiredSessionLevel);
  if (level !== null && level !== 'STANDARD' && level !== 'HIGH_ASSURANCE') {
    throw new SourceFileError(
      file,
      `<requiredSessionLevel> ${level} is not STANDARD or HIGH_ASSURANCE`,
    );
  }
  return { file, profile, requiredSessionLevel: level ?? 'NONE' };
}
