/**
 * Facts only the Metadata API holds: each system profile's login IP ranges and
 * login hours (Profile), its required session level (ProfileSessionSetting) and
 * the org settings (Security, UserManagement, ConnectedApp). One `readMetadata`
 * SOAP call per type for up to ten components.
 */
import { XMLParser } from 'fast-xml-parser';
import type {
  IpRange,
  LoginHours,
  OrgFacts,
  SessionLevel,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { DAYS } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { ApiError, type SalesforceClient } from './salesforceClient';

type Element = Record<string, unknown>;

const READ_LIMIT = 10;

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'records' || name === 'loginIpRanges',
});

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Components of one metadata type, by full name; a name the org lacks is absent. */
export async function readMetadata(
  client: SalesforceClient,
  type: string,
  fullNames: string[],
): Promise<Map<string, Element>> {
  const found = new Map<string, Element>();
  const chunks: string[][] = [];
  for (let i = 0; i < fullNames.length; i += READ_LIMIT)
    chunks.push(fullNames.slice(i, i + READ_LIMIT));
  const answers = await Promise.all(chunks.map((names) => readChunk(client, type, names)));
  for (const records of answers) {
    for (const record of records) {
      if (
        record &&
        typeof record === 'object' &&
        typeof (record as Element).fullName === 'string'
      ) {
        found.set(((record as Element).fullName as string).toLowerCase(), record as Element);
      }
    }
  }
  return found;
}

async function readChunk(
  client: SalesforceClient,
  type: string,
  names: string[],
): Promise<unknown[]> {
  const path = `/services/Soap/m/${client.apiVersion}`;
  const envelope = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata">',
    `<soapenv:Header><met:SessionHeader><met:sessionId>${escape(client.sessionId)}</met:sessionId></met:SessionHeader></soapenv:Header>`,
    `<soapenv:Body><met:readMetadata><met:type>${escape(type)}</met:type>`,
    ...names.map((n) => `<met:fullNames>${escape(n)}</met:fullNames>`),
    '</met:readMetadata></soapenv:Body></soapenv:Envelope>',
  ].join('');
  const xml = await client.soap(path, envelope);
  let records: unknown;
  try {
    const document = parser.parse(xml) as Element;
    const body = (document.Envelope as Element | undefined)?.Body as Element | undefined;
    const result = (body?.readMetadataResponse as Element | undefined)?.result;
    if (result === undefined) throw new Error('no readMetadataResponse');
    records = typeof result === 'object' && result !== null ? (result as Element).records : [];
  } catch (error) {
    throw new ApiError(path, 200, `malformed readMetadata response: ${(error as Error).message}`);
  }
  return (records as unknown[] | undefined) ?? [];
}

export function ipRangesOf(profile: Element): IpRange[] {
  return ((profile.loginIpRanges as Element[] | undefined) ?? []).map((range) => {
    const description = typeof range.description === 'string' ? range.description : '';
    return {
      start: String(range.startAddress ?? ''),
      end: String(range.endAddress ?? ''),
      ...(description ? { description } : {}),
    };
  });
}

export function loginHoursOf(profile: Element): LoginHours {
  const hours: LoginHours = {};
  const element = profile.loginHours;
  if (!element || typeof element !== 'object') return hours;
  for (const day of DAYS) {
    const start = (element as Element)[`${day}Start`];
    const end = (element as Element)[`${day}End`];
    if (start === undefined || end === undefined) continue;
    hours[day] = { start: Number(start), end: Number(end) };
  }
  return hours;
}

const SESSION_LEVELS: Record<string, SessionLevel> = {
  HIGH_ASSURANCE: 'HIGH_ASSURANCE',
  STANDARD: 'STANDARD',
};

/** IP ranges and login hours onto the collected profiles (matched by name). */
export async function collectProfileRestrictions(
  client: SalesforceClient,
  profiles: OrgFacts['profiles'],
): Promise<void> {
  const records = await readMetadata(
    client,
    'Profile',
    profiles.map((p) => p.name),
  );
  for (const profile of profiles) {
    const record = records.get(profile.name.toLowerCase());
    if (!record) continue;
    profile.loginIpRanges = ipRangesOf(record);
    profile.loginHours = loginHoursOf(record);
  }
}

/**
 * The session level required at login. A ProfileSessionSetting without a level
 * requires none; a profile without a component stays unknown.
 */
export async function collectSessionLevels(
  client: SalesforceClient,
  profiles: OrgFacts['profiles'],
): Promise<void> {
  const records = await readMetadata(
    client,
    'ProfileSessionSetting',
    profiles.map((p) => p.name),
  );
  for (const profile of profiles) {
    const record = records.get(profile.name.toLowerCase());
    if (!record) continue;
    const level =
      typeof record.requiredSessionLevel === 'string' ? record.requiredSessionLevel : '';
    profile.requiredSessionLevel = SESSION_LEVELS[level] ?? 'NONE';
  }
}

const bool = (value: unknown): boolean | null =>
  value === 'true' ? true : value === 'false' ? false : null;

/** One org setting: metadata type, component name, and where the value sits in it. */
export const SETTING_SOURCES: Readonly<
  Record<
    keyof OrgFacts['settings'],
    { type: string; fullName: string; read: (e: Element) => unknown }
  >
> = {
  enforceIpRangesEveryRequest: {
    type: 'SecuritySettings',
    fullName: 'Security',
    read: (e) => (e.sessionSettings as Element | undefined)?.enforceIpRangesEveryRequest,
  },
  profileFilteringEnabled: {
    type: 'UserManagementSettings',
    fullName: 'UserManagement',
    read: (e) => e.enableProfileFiltering,
  },
  // Present only where Salesforce Support enabled API Access Control; absent = unknown.
  apiAccessControlEnabled: {
    type: 'ConnectedAppSettings',
    fullName: 'ConnectedApp',
    read: (e) => e.enableAdminApprovedAppsOnly,
  },
};

export async function collectSetting(
  client: SalesforceClient,
  name: keyof OrgFacts['settings'],
): Promise<boolean | null> {
  const source = SETTING_SOURCES[name];
  const records = await readMetadata(client, source.type, [source.fullName]);
  const record = records.get(source.fullName.toLowerCase());
  if (!record) throw new Error(`the org returned no ${source.type} component`);
  const value = bool(source.read(record));
  if (value === null) throw new Error(`${source.type} holds no value for this setting`);
  return value;
}
