/**
 * Profiles and permission sets, in source format (`X.profile-meta.xml`,
 * `X.permissionset-meta.xml`) or Metadata API format (`profiles/X.profile`,
 * `permissionsets/X.permissionset`); both hold the same XML.
 *
 * A retrieved file lists the user permissions that are enabled, and only those: a file with at
 * least one `<userPermissions>` entry is that principal's complete enabled list, so a permission
 * missing from it is off. A file with none was retrieved without them (a profile fetched for its
 * layouts, say): its user permissions are unknown (`null`), never "none". Object and field
 * permissions are read the same way, each section on its own: a file without any
 * `<objectPermissions>` says nothing about object access.
 */
import path from 'node:path';
import type {
  IpRange,
  LoginHours,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { DAYS } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  SourceFileError,
  parseMetadataXml,
  xmlBoolean,
  xmlList,
  xmlText,
  type XmlElement,
} from './sourceXml';

/** Each part is null when the file has no entry of that kind: unknown, not empty. */
export interface SourcePermissions {
  userPermissions: string[] | null;
  objects: { object: string; read: boolean; viewAll: boolean }[] | null;
  fields: { field: string; read: boolean }[] | null;
}

export interface SourceProfile {
  kind: 'profile';
  file: string;
  name: string;
  isCustom: boolean | null;
  userLicense: string | null;
  loginIpRanges: IpRange[];
  loginHours: LoginHours;
  permissions: SourcePermissions;
}

export interface SourcePermissionSet {
  kind: 'permissionSet';
  file: string;
  name: string;
  label: string | null;
  permissions: SourcePermissions;
}

export const PROFILE_SUFFIX = '.profile-meta.xml';
export const PERMISSION_SET_SUFFIX = '.permissionset-meta.xml';
/** Metadata API format: the same XML without `-meta.xml`, in its type's folder. */
export const MDAPI_PROFILE = { suffix: '.profile', folder: 'profiles' } as const;
export const MDAPI_PERMISSION_SET = { suffix: '.permissionset', folder: 'permissionsets' } as const;

/**
 * The component name is the file name without its suffix (source or Metadata API format);
 * retrieved names encode characters such as ":" (%3A).
 */
export function componentName(file: string, suffix: string): string {
  const name = path.basename(file);
  const mdapiSuffix = suffix.replace(/-meta\.xml$/, '');
  const length = name.endsWith(suffix) ? suffix.length : mdapiSuffix.length;
  const base = name.slice(0, -length);
  try {
    return decodeURIComponent(base);
  } catch {
    return base;
  }
}

function permissionsOf(root: XmlElement, file: string): SourcePermissions {
  const userEntries = xmlList(root.userPermissions);
  const objectEntries = xmlList(root.objectPermissions);
  const fieldEntries = xmlList(root.fieldPermissions);
  const userPermissions: string[] = [];
  for (const entry of userEntries) {
    const name = xmlText(entry.name);
    if (!name) throw new SourceFileError(file, 'a <userPermissions> entry has no <name>');
    if (xmlBoolean(entry.enabled) === true) userPermissions.push(name);
  }
  const objects = objectEntries.map((entry) => {
    const object = xmlText(entry.object);
    if (!object) throw new SourceFileError(file, 'an <objectPermissions> entry has no <object>');
    return {
      object,
      read: xmlBoolean(entry.allowRead) === true,
      viewAll: xmlBoolean(entry.viewAllRecords) === true,
    };
  });
  const fields = fieldEntries.map((entry) => {
    const field = xmlText(entry.field);
    if (!field) throw new SourceFileError(file, 'a <fieldPermissions> entry has no <field>');
    return { field, read: xmlBoolean(entry.readable) === true };
  });
  return {
    userPermissions: userEntries.length > 0 ? userPermissions : null,
    objects: objectEntries.length > 0 ? objects : null,
    fields: fieldEntries.length > 0 ? fields : null,
  };
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
export const MDAPI_SESSION_SETTING = {
  suffix: '.profileSessionSetting',
  folder: 'profileSessionSettings',
} as const;

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
