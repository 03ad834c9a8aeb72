/**
 * Describes of the objects analytics reads in this org (25 per composite batch
 * request) and the data classification of their fields (one FieldDefinition query).
 */
import type { SObjectInfo } from '../../../../force-app/main/default/lwc/healthEngine/healthEngine';
import { soqlList } from './identity';
import { ApiError, type SalesforceClient } from './salesforceClient';

type Json = Record<string, unknown>;

const NAMESPACED = /^([A-Za-z0-9]+)__\w+__(c|mdt|e|x|b)$/;

export async function collectSchema(
  client: SalesforceClient,
  objects: string[],
  problems: [string, string][],
): Promise<SObjectInfo[]> {
  const names = [...new Map(objects.map((o) => [o.toLowerCase(), o])).values()];
  if (names.length === 0) return [];
  const describes = await client.batchGet(
    names.map((name) => `${client.dataPath}/sobjects/${encodeURIComponent(name)}/describe`),
  );
  const infos: SObjectInfo[] = [];
  describes.forEach((describe, index) => {
    if (describe instanceof ApiError) {
      problems.push(['schema', `describe ${names[index]}: ${describe.message}`]);
      return;
    }
    const name = typeof describe.name === 'string' ? describe.name : names[index];
    const fields = Array.isArray(describe.fields) ? (describe.fields as Json[]) : [];
    infos.push({
      name,
      custom: describe.custom === true,
      namespace: NAMESPACED.exec(name)?.[1] ?? null,
      fields: fields.map((field) => ({
        name: String(field.name),
        type: String(field.type ?? '').toLowerCase(),
        permissionable: field.permissionable === true,
      })),
    });
  });
  if (infos.length > 0) {
    try {
      const rows = await client.query<Json>(
        `SELECT EntityDefinition.QualifiedApiName, QualifiedApiName, SecurityClassification, ComplianceGroup FROM FieldDefinition WHERE EntityDefinition.QualifiedApiName IN (${soqlList(infos.map((i) => i.name))})`,
      );
      const byField = new Map(
        rows.map((row) => [
          `${String((row.EntityDefinition as Json | null)?.QualifiedApiName ?? '')}.${String(row.QualifiedApiName)}`.toLowerCase(),
          row,
        ]),
      );
      for (const info of infos) {
        for (const field of info.fields) {
          const row = byField.get(`${info.name}.${field.name}`.toLowerCase());
          if (!row) continue;
          field.securityClassification =
            typeof row.SecurityClassification === 'string' ? row.SecurityClassification : null;
          field.complianceGroup =
            typeof row.ComplianceGroup === 'string' ? row.ComplianceGroup : null;
        }
      }
    } catch (error) {
      problems.push(['schema.securityClassification', (error as Error).message]);
    }
  }
  return infos;
}
