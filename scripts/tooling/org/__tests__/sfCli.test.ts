import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSfRunner } from '../sfCli';

// A stand-in for node_modules/.bin/sf: echoes its arguments, the quiet-mode variables and what it
// reads from standard input as the CLI's JSON envelope; \`sf exit <n>\` only exits with n.
const FAKE_SF = `#!/bin/sh
if [ "$1" = "exit" ]; then exit "$2"; fi
input=$(cat)
printf '{"status":0,"result":{"args":"%s","telemetry":"%s","autoupdate":"%s","oclifAutoupdate":"%s","stdin":"%s"}}' "$*" "$SF_DISABLE_TELEMETRY" "$SF_AUTOUPDATE_DISABLE" "$SF_DISABLE_AUTOUPDATE" "$input"
exit 0
`;

describe('createSfRunner', () => {
  let projectDir: string;

  beforeAll(() => {
    projectDir = mkdtempSync(path.join(os.tmpdir(), 'sf-runner-'));
    const bin = path.join(projectDir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'sf'), FAKE_SF);
    chmodSync(path.join(bin, 'sf'), 0o755);
  });

  afterAll(() => rmSync(projectDir, { recursive: true, force: true }));

  it("runs the project's CLI with telemetry and updates off and standard input closed", () => {
    const result = createSfRunner(projectDir)(['org', 'list', '--json']);
    expect(result.status).toBe(0);
    expect(result.json).toEqual({
      status: 0,
      result: {
        args: 'org list --json',
        telemetry: 'true',
        autoupdate: 'true',
        // oclif's update hook (the detached `sf update --autoupdate`) reads only this spelling.
        oclifAutoupdate: 'true',
        stdin: '',
      },
    });
  });

  it('passes the exit code through and returns no JSON for a streamed command', () => {
    const result = createSfRunner(projectDir)(['exit', '3'], { stream: true });
    expect(result).toEqual({ status: 3, json: null });
  });
});
