import { HarnessError } from '../harness/asyncQueue';
import { nextFireTime, parseCron } from '../harness/cron';
import { PARENT_JOB_RESULT } from '../harness/natives';
import { ApexError, ApexId, type Value } from '../values';
import { FakeException, FakeObject, FakeRuntime } from './harnessFakes';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

describe('async queue outside a test', () => {
  it('runs queued jobs after the transaction, each in its own queueable transaction, children last', () => {
    const rt = new FakeRuntime();
    const order: string[] = [];
    const queriesSeen: number[] = [];
    const job = (name: string, next?: () => FakeObject) =>
      new FakeObject(name, ['Queueable'], {
        execute: () => {
          order.push(name);
          queriesSeen.push(rt.call('Limits', 'getQueries') as number);
          rt.governor.onQuery();
          if (next) rt.call('System', 'enqueueJob', next());
        },
      });
    rt.transaction('synchronous', () => {
      rt.governor.onQuery();
      rt.governor.onQuery();
      rt.call(
        'System',
        'enqueueJob',
        job('A', () => job('C')),
      );
      rt.call('System', 'enqueueJob', job('B'));
      expect(order).toEqual([]); // nothing runs inside the enqueuing transaction
    });
    expect(rt.harness.queue.drain()).toEqual([]);
    expect(order).toEqual(['A', 'B', 'C']);
    expect(rt.kinds).toEqual(['synchronous', 'queueable', 'queueable', 'queueable']);
    expect(queriesSeen).toEqual([0, 0, 0]); // fresh limits per job
    expect(rt.harness.queue.jobs.map((j) => [j.className, j.depth, j.status])).toEqual([
      ['A', 1, 'Completed'],
      ['B', 1, 'Completed'],
      ['C', 2, 'Completed'],
    ]);
  });

  it('returns a 707 AsyncApexJob Id and lets a running job queue only one child', () => {
    const rt = new FakeRuntime();
    let id: Value = null;
    const child = () => new FakeObject('Child', ['Queueable'], { execute: () => undefined });
    const parent = new FakeObject('Parent', ['Queueable'], {
      execute: () => {
        rt.call('System', 'enqueueJob', child());
        rt.call('System', 'enqueueJob', child());
      },
    });
    rt.transaction('synchronous', () => (id = rt.call('System', 'enqueueJob', parent)));
    expect(id).toBeInstanceOf(ApexId);
    expect((id as unknown as ApexId).keyPrefix).toBe('707');
    const failed = rt.harness.queue.drain();
    expect(failed).toHaveLength(1);
    expect(failed[0].failure?.typeName).toBe('System.LimitException');
    expect(failed[0].failure?.message).toBe('Too many queueable jobs added to the queue: 2');
    // The failed job's transaction rolled back: its first child does not run either.
    expect(rt.harness.queue.jobs.map((j) => j.className)).toEqual(['Parent', 'Child']);
    expect(rt.harness.queue.queued).toHaveLength(0);
  });

  it('serializes the job when queued: later changes to the object do not reach it', () => {
    const rt = new FakeRuntime();
    const seen: Value[] = [];
    const job = new FakeObject('Job', ['Queueable'], {});
    job.fields.set('label', 'before');
    rt.transaction('synchronous', () => {
      rt.call('System', 'enqueueJob', job);
      job.fields.set('label', 'after');
    });
    const queued = rt.harness.queue.queued[0].job as FakeObject;
    queued.impl.execute = () => {
      seen.push(queued.fields.get('label') ?? null);
    };
    rt.harness.queue.drain();
    expect(seen).toEqual(['before']);
  });

  it('runs the finalizer in its own transaction with SUCCESS and the job Id', () => {
    const rt = new FakeRuntime();
    const results: Value[] = [];
    const finalizer = new FakeObject('Guard', ['Finalizer'], {
      execute: (context) => {
        results.push(rt.method(context, 'getResult'));
        results.push(rt.method(context, 'getException'));
        results.push(rt.method(context, 'getAsyncApexJobId'));
      },
    });
    const job = new FakeObject('Job', ['Queueable'], {
      execute: () => {
        rt.call('System', 'attachFinalizer', finalizer);
      },
    });
    let id: Value = null;
    rt.transaction('synchronous', () => (id = rt.call('System', 'enqueueJob', job)));
    rt.harness.queue.drain();
    expect(rt.kinds).toEqual(['synchronous', 'queueable', 'finalizer']);
    expect(results[0]).toBe(PARENT_JOB_RESULT.SUCCESS);
    expect(results[1]).toBeNull();
    expect((results[2] as ApexId).value).toBe((id as unknown as ApexId).value);
  });

  it('gives the finalizer UNHANDLED_EXCEPTION and the exception, and rolls back the job data', () => {
    const rt = new FakeRuntime();
    const results: Value[] = [];
    const finalizer = new FakeObject('Guard', ['Finalizer'], {
      execute: (context) => {
        results.push(rt.method(context, 'getResult'));
        results.push(rt.method(context, 'getException'));
        rt.org.rows.push('finalizer row');
      },
    });
    const job = new FakeObject('Job', ['Queueable'], {
      execute: () => {
        rt.call('System', 'attachFinalizer', finalizer);
        rt.org.rows.push('job row');
        throw new ApexError('System.MathException', 'Divide by 0');
      },
    });
    rt.transaction('synchronous', () => rt.call('System', 'enqueueJob', job));
    const failed = rt.harness.queue.drain();
    expect(failed.map((j) => j.status)).toEqual(['Failed']);
    expect(results[0]).toBe(PARENT_JOB_RESULT.UNHANDLED_EXCEPTION);
    expect(results[1]).toBeInstanceOf(FakeException);
    expect((results[1] as FakeException).apexType.name).toBe('System.MathException');
    expect((results[1] as FakeException).message).toBe('Divide by 0');
    expect(rt.org.rows).toEqual(['finalizer row']);
  });

  it('refuses attachFinalizer outside a queueable, twice, or with null, with the documented messages', () => {
    const rt = new FakeRuntime();
    const finalizer = new FakeObject('Guard', ['Finalizer'], { execute: () => undefined });
    const outside = thrown(() => rt.call('System', 'attachFinalizer', finalizer)) as ApexError;
    expect([outside.typeName, outside.message]).toEqual([
      'System.AsyncException',
      'System.attachFinalizer(Finalizer) is not allowed in this context',
    ]);
    const errors: string[] = [];
    const job = new FakeObject('Job', ['Queueable'], {
      execute: () => {
        rt.call('System', 'attachFinalizer', finalizer);
        for (const arg of [finalizer, null, new FakeObject('NotOne', [])]) {
          try {
            rt.call('System', 'attachFinalizer', arg);
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      },
    });
    rt.transaction('synchronous', () => rt.call('System', 'enqueueJob', job));
    rt.harness.queue.drain();
    expect(errors).toEqual([
      'More than one Finalizer cannot be attached to same Async Apex Job',
      'Argument cannot be null',
      'Class NotOne must implement the Finalizer interface',
    ]);
  });

  it('stops a runaway chain with a clear harness error', () => {
    const rt = new FakeRuntime();
    rt.harness.queue.reset();
    const forever: FakeObject = new FakeObject('Forever', ['Queueable'], {
      execute: () => {
        rt.call('System', 'enqueueJob', forever);
      },
    });
    rt.transaction('synchronous', () => rt.call('System', 'enqueueJob', forever));
    const error = thrown(() => rt.harness.queue.drain());
    expect(error).toBeInstanceOf(HarnessError);
    expect(error.message).toMatch(/^queueable chain deeper than 100 jobs \(last: Forever\)/);
  });
});

describe('async jobs in a test', () => {
  function testRuntime() {
    const rt = new FakeRuntime();
    rt.harness.test.running = true;
    rt.harness.queue.testMode = true;
    return rt;
  }

  it('Test.stopTest runs the jobs queued since startTest, synchronously, and not the earlier ones', () => {
    const rt = testRuntime();
    const ran: string[] = [];
    const job = (name: string) =>
      new FakeObject(name, ['Queueable'], {
        execute: () => {
          ran.push(name);
        },
      });
    rt.transaction('test', () => {
      rt.call('System', 'enqueueJob', job('before'));
      rt.call('Test', 'startTest');
      rt.call('System', 'enqueueJob', job('inside'));
      expect(ran).toEqual([]);
      rt.call('Test', 'stopTest');
      expect(ran).toEqual(['inside']);
    });
    expect(rt.harness.queue.queued.map((j) => j.className)).toEqual(['before']);
  });

  it('refuses chaining from a job run by stopTest: Maximum stack depth has been reached.', () => {
    const rt = testRuntime();
    const messages: string[] = [];
    const chained = new FakeObject('Chained', ['Queueable'], {
      execute: () => {
        try {
          rt.call('System', 'enqueueJob', new FakeObject('Next', ['Queueable'], {}));
        } catch (e) {
          messages.push(`${(e as ApexError).typeName}: ${(e as Error).message}`);
        }
      },
    });
    rt.transaction('test', () => {
      rt.call('Test', 'startTest');
      rt.call('System', 'enqueueJob', chained);
      rt.call('Test', 'stopTest');
    });
    expect(messages).toEqual(['System.AsyncException: Maximum stack depth has been reached.']);
  });

  it('makes stopTest throw a failed job exception after its finalizer ran', () => {
    const rt = testRuntime();
    const events: string[] = [];
    const finalizer = new FakeObject('Guard', ['Finalizer'], {
      execute: (context) => {
        events.push(String(rt.method(context, 'getResult')));
      },
    });
    const job = new FakeObject('Job', ['Queueable'], {
      execute: () => {
        rt.call('System', 'attachFinalizer', finalizer);
        throw new ApexError('System.NullPointerException', 'Attempt to de-reference a null object');
      },
    });
    rt.transaction('test', () => {
      rt.call('Test', 'startTest');
      rt.call('System', 'enqueueJob', job);
      const error = thrown(() => rt.call('Test', 'stopTest')) as ApexError;
      expect([error.typeName, error.message]).toEqual([
        'System.NullPointerException',
        'Attempt to de-reference a null object',
      ]);
    });
    expect(events).toEqual(['UNHANDLED_EXCEPTION']);
  });

  it('gives fresh limits between startTest and stopTest and restores the test counters after', () => {
    const rt = testRuntime();
    const seen: Record<string, Value> = {};
    rt.transaction('test', () => {
      for (let i = 0; i < 3; i++) rt.governor.onQuery();
      rt.governor.onDml(2);
      rt.call('Test', 'startTest');
      seen.insideQueries = rt.call('Limits', 'getQueries');
      seen.insideDml = rt.call('Limits', 'getDmlStatements');
      seen.limitQueries = rt.call('Limits', 'getLimitQueries');
      rt.governor.onQuery();
      seen.afterOne = rt.call('Limits', 'getQueries');
      rt.call('Test', 'stopTest');
      seen.afterStop = rt.call('Limits', 'getQueries');
      seen.dmlRows = rt.call('Limits', 'getDmlRows');
    });
    expect(seen).toEqual({
      insideQueries: 0,
      insideDml: 0,
      limitQueries: 100,
      afterOne: 1,
      afterStop: 3,
      dmlRows: 2,
    });
  });

  it('schedules with a validated cron, records the trigger, and runs it at stopTest', () => {
    const rt = testRuntime();
    rt.services.timeZone = 'GMT';
    rt.services.clock = () => Date.UTC(2026, 0, 1, 6, 0, 0);
    const triggers: Value[] = [];
    const job = new FakeObject('Check', ['Schedulable'], {
      execute: (context) => {
        triggers.push(rt.method(context, 'getTriggerId'));
      },
    });
    rt.transaction('test', () => {
      const bad = thrown(() =>
        rt.call('System', 'schedule', 'Job', 'every morning', job),
      ) as ApexError;
      expect([bad.typeName, bad.message]).toEqual([
        'System.StringException',
        "Illegal characters for this position: 'EVE'",
      ]);
      rt.call('Test', 'startTest');
      const id = rt.call('System', 'schedule', 'Job', '0 30 5 * * ?', job) as ApexId;
      expect(id.keyPrefix).toBe('08e');
      const dup = thrown(() =>
        rt.call('System', 'schedule', 'Job', '0 0 1 * * ?', job),
      ) as ApexError;
      expect(dup.message).toBe('The Apex job named "Job" is already scheduled for execution.');
      const entry = rt.harness.queue.scheduled[0];
      expect(new Date(entry.nextFire as number).toISOString()).toBe('2026-01-02T05:30:00.000Z');
      expect(triggers).toEqual([]);
      rt.call('Test', 'stopTest');
      expect(triggers).toEqual([id]);
      rt.call('System', 'abortJob', id);
      expect(entry.state).toBe('DELETED');
      // Once aborted, the name is free again.
      rt.call('System', 'schedule', 'Job', '0 0 1 * * ?', job);
    });
    expect(rt.harness.queue.scheduled.map((s) => s.state)).toEqual(['DELETED', 'WAITING']);
  });
});

describe('cron expressions', () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (cron: string, after: string, zone = 'GMT') =>
    new Date(nextFireTime(parseCron(cron), at(after), zone) as number).toISOString();

  it('computes the next fire time in the user time zone', () => {
    expect(next('0 30 5 * * ?', '2026-01-01T04:00:00Z')).toBe('2026-01-01T05:30:00.000Z');
    expect(next('0 30 5 * * ?', '2026-01-01T05:30:00Z')).toBe('2026-01-02T05:30:00.000Z');
    expect(next('0 30 5 * * ?', '2026-01-01T04:00:00Z', 'America/New_York')).toBe(
      '2026-01-01T10:30:00.000Z',
    );
    // Saturday 2026-01-03 → Monday.
    expect(next('0 0 12 ? * MON-FRI', '2026-01-03T00:00:00Z')).toBe('2026-01-05T12:00:00.000Z');
    expect(next('0 0 8 L * ?', '2026-02-02T00:00:00Z')).toBe('2026-02-28T08:00:00.000Z');
    expect(next('0 0 8 ? * 6#3', '2026-01-01T00:00:00Z')).toBe('2026-01-16T08:00:00.000Z');
    expect(next('0 0/15 * * * ?', '2026-01-01T00:07:00Z')).toBe('2026-01-01T00:15:00.000Z');
  });

  it('refuses what the platform refuses, with Quartz wording', () => {
    const message = (cron: string) => (thrown(() => parseCron(cron)) as ApexError).message;
    expect(message('0 0 5 * * *')).toBe(
      'Support for specifying both a day-of-week AND a day-of-month parameter is not implemented.',
    );
    expect(message('0 0 5 * *')).toBe('Unexpected end of expression.');
    expect(message('0 0 24 * * ?')).toBe('Hour values must be between 0 and 23');
    expect(message('0 ? 5 * * ?')).toBe(
      "'?' can only be specified for Day-of-Month or Day-of-Week.",
    );
    expect(message('0 0 5 ? FOO *')).toBe("Invalid Month value: 'FOO'");
  });
});
