/**
 * The pre-deploy guard end to end through the CLI: a Metadata API layout tree, the verdict on a
 * public repository's Integration User profile, and the row-level security it would deploy.
 */
import path from 'node:path';
import { run } from '../../../analyticsHealth';
import { PROJECT_ROOT } from '../../../lib/catalogSource';

const layouts = path.join(__dirname, 'fixtures', 'layouts');
const fixedNow = () => new Date('2026-11-23T08:00:00Z');

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow, {
    cwd: PROJECT_ROOT,
  });
  if (typeof code !== 'number') throw new Error('a metadata check is synchronous');
  return { code, stdout, stderr };
}

interface Finding {
  ruleId: string;
  status: string;
  subject: { label: string };
  evidence?: { sourceFiles?: string[] };
}

describe('check --metadata on each layout', () => {
  it.each([
    [
      'source format',
      'source',
      'force-app/main/default/profiles/Analytics Cloud Integration User.profile-meta.xml',
    ],
    ['Metadata API format', 'mdapi', 'src/profiles/Analytics Cloud Integration User.profile'],
  ])(
    '%s: the Integration User profile without View All Data fails AH020',
    (_layout, folder, file) => {
      const root = path.join(layouts, folder);
      const { code, stdout, stderr } = cli('check', '--metadata', root, '--format', 'json');
      expect(code).toBe(1);
      expect(stderr).toContain(
        'Read 1 profile(s), 1 permission set(s), 0 profile session setting(s), 1 setting(s) and 2 analytics asset file(s)',
      );
      const findings = JSON.parse(stdout).findings as Finding[];
      const ah020 = findings.filter((f) => f.ruleId === 'AH020');
      expect(ah020.map((f) => f.status)).toEqual(['FAIL']);
      // Paths relative to the --metadata folder.
      expect(ah020[0].evidence?.sourceFiles).toEqual([file]);
      const ah028 = findings.find((f) => f.ruleId === 'AH028' && f.subject.label === 'Territories');
      expect(ah028?.status).toBe('FAIL');
    },
  );
});
