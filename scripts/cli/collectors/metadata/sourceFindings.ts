/**
 * Ties findings on overlaid facts back to the source files behind them: which
 * profile, permission set, settings or analytics asset file a finding is about,
 * and whether the finding is new compared with the baseline (what the deployment
 * would cause rather than what is already broken).
 */
import type {
  Finding,
  OrgFacts,
  Report,
} from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { OrgModel, idKey } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import type { Provenance, SettingName } from './overlay';

const SETTINGS_OF_RULE: Record<string, SettingName[]> = {
  AH021: ['profileFilteringEnabled'],
  AH032: ['enforceIpRangesEveryRequest'],
  AH036: ['apiAccessControlEnabled'],
};

/** Rules judging the User fields security predicates read, as the Security User. */
const PREDICATE_FIELD_RULES = new Set(['AH027']);

const unique = (files: (string | undefined)[]) => [
  ...new Set(files.filter((f): f is string => typeof f === 'string' && f !== '')),
];

/** Files of the profile and permission sets a user holds, that the source contains. */
function principalFiles(facts: OrgFacts, provenance: Provenance, userId: string): string[] {
  const user = facts.users.find((u) => idKey(u.id) === idKey(userId));
  if (!user) return [];
  return unique([
    provenance.profileFiles.get(idKey(user.profileId)),
    ...user.permissionSetIds.map((id) => provenance.permissionSetFiles.get(idKey(id))),
  ]);
}

/** Files of the Security User's principals and of the predicates that read `User.Field`. */
function predicateFieldFiles(facts: OrgFacts, provenance: Provenance, field: string): string[] {
  const security = new OrgModel(facts).securityUser;
  return unique([
    ...(provenance.predicateFieldFiles.get(field.toLowerCase()) ?? []),
    ...(security ? principalFiles(facts, provenance, security.id) : []),
  ]);
}

/** The users that read Salesforce data for analytics: the engine's integration users. */
function readingUsers(facts: OrgFacts): string[] {
  const model = new OrgModel(facts);
  return [model.integrationUser, ...model.customIntegrationUsers]
    .filter((u): u is NonNullable<typeof u> => u !== undefined)
    .map((u) => u.id);
}

export function sourceFilesOf(finding: Finding, facts: OrgFacts, provenance: Provenance): string[] {
  const id = finding.subject.id ?? '';
  const settings = (SETTINGS_OF_RULE[finding.ruleId] ?? []).map((s) =>
    provenance.settingFiles.get(s),
  );
  switch (finding.subject.type) {
    case 'profile':
      return unique([
        provenance.profileFiles.get(idKey(id)),
        ...(finding.ruleId === 'AH035' ? [provenance.sessionFiles.get(idKey(id))] : []),
        ...settings,
      ]);
    case 'user':
      return unique([...principalFiles(facts, provenance, id), ...settings]);
    case 'dataset':
      return unique([provenance.datasetFiles.get(idKey(id))]);
    case 'object':
    case 'field': {
      if (finding.subject.type === 'field' && PREDICATE_FIELD_RULES.has(finding.ruleId)) {
        return predicateFieldFiles(facts, provenance, id);
      }
      const readers =
        finding.subject.type === 'object'
          ? provenance.objectReaders.get(id.toLowerCase())
          : provenance.fieldReaders.get(id.toLowerCase());
      const principals = readingUsers(facts).flatMap((u) => principalFiles(facts, provenance, u));
      return unique([...principals, ...(readers ?? []).map((r) => r.file)]);
    }
    default:
      return unique(settings);
  }
}

const key = (f: Finding) => `${f.ruleId}|${f.subject.type}|${f.subject.id ?? f.subject.label}`;

/**
 * Adds `evidence.sourceFiles` (files the finding is about) and, with a baseline,
 * `evidence.newInSource: true` on a FAIL the baseline did not have.
 */
export function annotateSourceFindings(
  report: Report,
  facts: OrgFacts,
  provenance: Provenance,
  baselineReport: Report | null,
): Report {
  const failingBefore = new Set(
    (baselineReport?.findings ?? []).filter((f) => f.status === 'FAIL').map(key),
  );
  for (const finding of report.findings) {
    const files = sourceFilesOf(finding, facts, provenance);
    const isNew =
      baselineReport !== null && finding.status === 'FAIL' && !failingBefore.has(key(finding));
    if (files.length === 0 && !isNew) continue;
    finding.evidence = {
      ...(finding.evidence ?? {}),
      ...(files.length > 0 ? { sourceFiles: files } : {}),
      ...(isNew ? { newInSource: true } : {}),
    };
  }
  return report;
}
