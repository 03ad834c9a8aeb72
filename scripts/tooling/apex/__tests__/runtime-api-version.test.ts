/** @jest-environment-options {"customExportConditions": ["node", "require"]} */
// SEMANTICS SQL-01: the default access mode of database operations depends on the class's API
// version; the runtime models up to NEWEST_MODELLED_API_VERSION and refuses newer classes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApexRuntime, ApexSourceError, NEWEST_MODELLED_API_VERSION } from '../runtime';

function projectWith(apiVersion: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'apex-version-'));
  const classes = path.join(root, 'force-app', 'main', 'default', 'classes');
  mkdirSync(classes, { recursive: true });
  writeFileSync(path.join(classes, 'Probe.cls'), 'public with sharing class Probe {}');
  writeFileSync(
    path.join(classes, 'Probe.cls-meta.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>${apiVersion}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`,
  );
  return root;
}

test('SQL-01 a class newer than the modelled API version is refused with its file', () => {
  const newer = (NEWEST_MODELLED_API_VERSION + 1).toFixed(1);
  expect(() => ApexRuntime.fromProject(projectWith(newer))).toThrow(ApexSourceError);
  expect(() => ApexRuntime.fromProject(projectWith(newer))).toThrow(
    `Probe.cls:1: not supported by the local runtime: API version ${newer}`,
  );
});

test('SQL-01 a class at the modelled API version is not refused for its version', () => {
  let error: unknown = null;
  try {
    ApexRuntime.fromProject(projectWith(NEWEST_MODELLED_API_VERSION.toFixed(1)));
  } catch (e) {
    error = e;
  }
  // Whatever else an empty project lacks, the version is not the reason.
  expect(String(error ?? '')).not.toContain('API version');
});
