/**
 * The optional output hooks the sf plugin gives the CLI: the result as a value, errors as a
 * one-line message, live progress apart from the other stderr lines. Without them the bin's
 * behaviour (text on stdout and stderr) is covered by the other CLI tests.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateOrgFacts } from '../../../force-app/main/default/lwc/healthEngine/healthEngine';
import {
  DEFAULT_SNAPSHOT,
  execute,
  parseArgs,
  run,
  type CliIo,
  type LiveRequest,
} from '../analyticsHealth';

const now = () => new Date('2026-11-23T08:00:00Z');

function recorder() {
  const seen = {
    stdout: '',
    stderr: '',
    progress: [] as string[],
    results: [] as unknown[],
    errors: [] as string[],
  };
  const io: Required<CliIo> = {
    stdout: (t) => (seen.stdout += t),
    stderr: (t) => (seen.stderr += t),
    progress: (t) => seen.progress.push(t),
    result: (v) => seen.results.push(v),
    error: (m) => seen.errors.push(m),
  };
  return { io, seen };
}

describe('CLI output hooks (used by the sf plugin)', () => {
  it('hands the rule list as a value and prints nothing', () => {
    const { io, seen } = recorder();
    expect(execute(parseArgs(['rules']), io, now)).toBe(0);
    expect(seen.stdout).toBe('');
    expect(seen.results).toHaveLength(1);
    let printed = '';
    run(['rules', '--format', 'json'], { stdout: (t) => (printed += t), stderr: () => undefined });
    expect(seen.results[0]).toEqual(JSON.parse(printed));
  });

  it('hands the report as a value and still writes --output in the chosen format', () => {
    const { io, seen } = recorder();
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'ah-io-')), 'report.csv');
    const code = execute(parseArgs(['check', '--format', 'csv', '--output', out]), io, now);
    expect(code).toBe(1);
    expect(seen.stdout).toBe('');
    const report = seen.results[0] as { evaluatedAt: string; findings: unknown[] };
    expect(report.evaluatedAt).toBe('2026-11-23T08:00:00.000Z');
    const csv = readFileSync(out, 'utf8');
    expect(csv).toMatch(/^ruleId,status,severity,/);
    expect(csv).toContain((report.findings[0] as { ruleId: string }).ruleId);
  });

  it('gives an exit-2 reason to the error hook as one line, without the program name', () => {
    const { io, seen } = recorder();
    expect(execute(parseArgs(['check', '--facts', '/nonexistent/facts.json']), io, now)).toBe(2);
    expect(seen.errors).toEqual([
      expect.stringMatching(/^Cannot read \/nonexistent\/facts\.json: /),
    ]);
    expect(seen.errors[0]).not.toContain('\n');
    expect(seen.stderr).toBe('');
    expect(seen.results).toEqual([]);
  });

  it('sends live progress to the progress hook and the summary to stderr', async () => {
    const { io, seen } = recorder();
    const facts = validateOrgFacts(JSON.parse(readFileSync(DEFAULT_SNAPSHOT, 'utf8')));
    const collectLive = async (request: LiveRequest) => {
      request.progress('Collecting org facts…');
      request.progress('  ✓ users (1 requests so far)');
      return { facts, requestCount: 1 };
    };
    const code = await execute(parseArgs(['check', '-o', 'demo', '--fail-on', 'never']), io, now, {
      collectLive,
    });
    expect(code).toBe(0);
    expect(seen.progress).toEqual(['Collecting org facts…', '  ✓ users (1 requests so far)']);
    expect(seen.stderr).toContain('Collected the facts with 1 API request(s)');
    expect(seen.stderr).not.toContain('Collecting org facts');
    expect((seen.results[0] as { org: { id: string } }).org.id).toBe(facts.org.id);
  });
});
