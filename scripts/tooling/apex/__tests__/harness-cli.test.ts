import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run as apexRun } from '../cli/apexRun';
import { run as apexTest } from '../cli/apexTest';
import { normalizeCoverage, type CliRuntime, type RuntimeLoader } from '../cli/common';
import type { TestClassInfo } from '../harness/testRunner';
import { ApexError, UnsupportedError, type Value } from '../values';
import { FakeRuntime } from './harnessFakes';
import { findNative } from '../natives/registry';
import { ApexSourceError } from '../interpreter/parse';

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
    },
  };
}

function tempFile(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'apex-cli-')), name);
  writeFileSync(file, content);
  return file;
}

/** A CLI runtime over the fake: classes and their static methods are JavaScript. */
class FakeCliRuntime extends FakeRuntime implements CliRuntime {
  constructor(
    private readonly classList: TestClassInfo[],
    private readonly statics: Record<string, () => void>,
    private readonly anonymous: (text: string) => void = () => undefined,
  ) {
    super();
  }
  classes() {
    return this.classList;
  }
  callStatic(className: string, method: string): Value {
    this.statics[`${className}.${method}`]();
    return null;
  }
  runAnonymous(text: string) {
    return this.transaction('synchronous', () => this.anonymous(text)).result;
  }
  coverage() {
    return [
      { file: 'Prod.cls', executable: [1, 2, 3, 4], covered: [1, 2, 3] },
      { file: 'ProdTest.cls', executable: [1, 2], covered: [1, 2] },
    ];
  }
  debug(value: Value) {
    findNative('System')?.statics?.debug(this.ctx, null, [value]);
  }
}

const loaderOf =
  (rt: CliRuntime): RuntimeLoader =>
  async () =>
    rt;

describe('apex:run', () => {
  it('prints each System.debug on its own line and exits 0', async () => {
    const { out, io: stream } = io();
    let rt: FakeCliRuntime;
    const file = tempFile('hello.apex', "System.debug('hi');");
    const code = await apexRun([file], stream, async () => {
      rt = new FakeCliRuntime([], {}, () => {
        rt.debug('hi');
        rt.debug(42);
      });
      return rt;
    });
    expect([code, out.stdout, out.stderr]).toEqual([0, 'hi\n42\n', '']);
  });

  it('prints an uncaught exception as TypeName: message on stderr and exits 1', async () => {
    const { out, io: stream } = io();
    const rt = new FakeCliRuntime([], {}, () => {
      throw new ApexError('System.MathException', 'Divide by 0');
    });
    const code = await apexRun([tempFile('x.apex', 'Integer i = 1/0;')], stream, loaderOf(rt));
    expect([code, out.stderr]).toEqual([1, 'System.MathException: Divide by 0\n']);
  });

  it('exits 2 with one line for bad input', async () => {
    const cases: [string[], RuntimeLoader | undefined, RegExp][] = [
      [[], undefined, /^apex:run: no file given\n/],
      [['/no/such/file.apex'], undefined, /^\/no\/such\/file\.apex: no such file\n$/],
      [[tmpdir()], undefined, /: not a regular file\n$/],
      [
        [tempFile('bad.apex', 'Integer i = ;')],
        loaderOf(
          new FakeCliRuntime([], {}, () => {
            throw new ApexSourceError('bad.apex', 1, "syntax error: extraneous input ';'");
          }),
        ),
        /^bad\.apex:1: syntax error: extraneous input ';'\n$/,
      ],
      [
        [tempFile('u.apex', 'x')],
        loaderOf(
          new FakeCliRuntime([], {}, () => {
            throw new UnsupportedError('SOSL');
          }),
        ),
        /^not supported by the local runtime: SOSL\n$/,
      ],
    ];
    for (const [argv, loader, expected] of cases) {
      const { out, io: stream } = io();
      // eslint-disable-next-line no-await-in-loop -- one case after the other, sharing nothing
      const code = await apexRun(argv, stream, loader ?? (async () => new FakeCliRuntime([], {})));
      expect([code, out.stdout]).toEqual([2, '']);
      expect(out.stderr).toMatch(expected);
    }
  });
});

describe('apex:test', () => {
  const classes: TestClassInfo[] = [
    { name: 'Prod', file: 'Prod.cls', isTest: false, methods: [{ name: 'go', annotations: [] }] },
    {
      name: 'ProdTest',
      file: 'ProdTest.cls',
      isTest: true,
      methods: [
        { name: 'setup', annotations: ['testsetup'] },
        { name: 'passes', annotations: ['istest'] },
        { name: 'fails', annotations: ['istest'] },
        { name: 'helper', annotations: [] },
      ],
    },
  ];

  function runtime() {
    const rowsSeen: string[][] = [];
    const rt: FakeCliRuntime = new FakeCliRuntime(classes, {
      'ProdTest.setup': () => rt.org.rows.push('setup row'),
      'ProdTest.passes': () => {
        rowsSeen.push([...rt.org.rows]);
        rt.org.rows.push('passes row');
      },
      'ProdTest.fails': () => {
        rowsSeen.push([...rt.org.rows]);
        throw Object.assign(
          new ApexError('System.AssertException', 'Assertion Failed: expected 1'),
          {
            stackTrace: 'Class.ProdTest.fails: line 12, column 1',
          },
        );
      },
    });
    return { rt, rowsSeen };
  }

  it('runs each test method over the @TestSetup data, reports failures and exits 1', async () => {
    const { out, io: stream } = io();
    const { rt, rowsSeen } = runtime();
    const code = await apexTest([], stream, loaderOf(rt));
    expect(code).toBe(1);
    expect(rowsSeen).toEqual([['setup row'], ['setup row']]);
    expect(rt.org.rows).toEqual([]); // the org is back to its state before the run
    expect(out.stdout).toContain('ProdTest: 1 passed, 1 failed\n');
    expect(out.stdout).toContain(
      '  FAIL fails: System.AssertException: Assertion Failed: expected 1 at ProdTest.cls:12\n',
    );
    expect(out.stdout).toContain('  Prod: 75% (3/4)\n');
    expect(out.stdout).not.toContain('ProdTest: 100%');
    expect(out.stdout).toMatch(/\n1 passed, 1 failed; coverage 75%\n$/);
  });

  it('prints one JSON object with --json', async () => {
    const { out, io: stream } = io();
    const code = await apexTest(['--json'], stream, loaderOf(runtime().rt));
    const summary = JSON.parse(out.stdout);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ passed: 1, failed: 1, coverage: 75 });
    expect(summary.classes).toEqual([
      {
        name: 'ProdTest',
        passed: 1,
        failed: 1,
        methods: [
          { name: 'passes', outcome: 'Pass' },
          {
            name: 'fails',
            outcome: 'Fail',
            message: 'System.AssertException: Assertion Failed: expected 1 at ProdTest.cls:12',
          },
        ],
      },
    ]);
  });

  it('exits 0 when every test passes, and fails every method when @TestSetup fails', async () => {
    const passing = new FakeCliRuntime(
      [
        {
          name: 'OkTest',
          file: 'OkTest.cls',
          isTest: true,
          methods: [{ name: 'a', annotations: ['istest'] }],
        },
      ],
      { 'OkTest.a': () => undefined },
    );
    expect(await apexTest(['--class', 'oktest'], io().io, loaderOf(passing))).toBe(0);
    const { out, io: stream } = io();
    const broken = new FakeCliRuntime(
      [
        {
          name: 'BadSetupTest',
          file: 'BadSetupTest.cls',
          isTest: true,
          methods: [
            { name: 'make', annotations: ['testsetup'] },
            { name: 'a', annotations: ['istest'] },
          ],
        },
      ],
      {
        'BadSetupTest.make': () => {
          throw new ApexError('System.DmlException', 'Insert failed');
        },
        'BadSetupTest.a': () => undefined,
      },
    );
    expect(await apexTest(['--json'], stream, loaderOf(broken))).toBe(1);
    expect(JSON.parse(out.stdout).classes[0].methods[0].message).toBe(
      '@TestSetup make failed: System.DmlException: Insert failed',
    );
  });

  it('exits 2 with one line for an unknown class, a bad argument or an unsupported construct', async () => {
    const unsupported = new FakeCliRuntime(classes, {
      'ProdTest.setup': () => undefined,
      'ProdTest.passes': () => {
        throw new UnsupportedError('SOSL');
      },
      'ProdTest.fails': () => undefined,
    });
    const cases: [string[], CliRuntime, string][] = [
      [['--class', 'Nope'], runtime().rt, 'apex:test: no test class named Nope\n'],
      [
        ['--bogus'],
        runtime().rt,
        'apex:test: unknown argument: --bogus\nusage: apex:test [--class Name] [--json]\n',
      ],
      // The refusal names the test method it stopped in.
      [
        [],
        unsupported,
        'not supported by the local runtime: SOSL (in test method ProdTest.passes)\n',
      ],
    ];
    for (const [argv, rt, expected] of cases) {
      const { out, io: stream } = io();
      // eslint-disable-next-line no-await-in-loop -- one case after the other, sharing nothing
      expect(await apexTest(argv, stream, loaderOf(rt))).toBe(2);
      expect(out.stderr).toBe(expected);
    }
  });
});

describe('coverage', () => {
  it("reads ApexRuntime.coverage()'s {file, executable, covered} line sets: total = statement lines", () => {
    expect(
      normalizeCoverage([
        { file: 'Prod.cls', executable: [3, 4, 7, 9], covered: [3, 4, 7] },
        { file: 'force-app/x/Other.cls', executable: [], covered: [] },
      ]),
    ).toEqual([
      { name: 'Prod', covered: 3, total: 4 },
      { name: 'Other', covered: 0, total: 0 },
    ]);
  });
});
