import { ASYNCHRONOUS_LIMITS, FINALIZER_LIMITS, Governor, SYNCHRONOUS_LIMITS } from '../governor';
import { ApexError } from '../values';

const limitMessage = (fn: () => void): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApexError);
    expect((error as ApexError).typeName).toBe('System.LimitException');
    return (error as ApexError).message;
  }
  throw new Error('no LimitException');
};

describe('Governor (Execution Governors and Limits)', () => {
  it('allows 100 SOQL queries in a synchronous transaction and names the 101st', () => {
    const governor = new Governor('synchronous');
    for (let i = 0; i < 100; i++) governor.onQuery();
    expect(limitMessage(() => governor.onQuery())).toBe('Too many SOQL queries: 101');
  });

  it('allows 200 SOQL queries in a queueable', () => {
    const governor = new Governor('queueable');
    for (let i = 0; i < 200; i++) governor.onQuery();
    expect(limitMessage(() => governor.onQuery())).toBe('Too many SOQL queries: 201');
  });

  it('counts query rows across queries: 50,000 in all', () => {
    const governor = new Governor('queueable');
    governor.onRows(30000);
    // The message names the first row over the limit, however many rows the query had.
    expect(limitMessage(() => governor.onRows(25000))).toBe('Too many query rows: 50001');
    expect(governor.usage.queryRows).toBe(50001);
  });

  it('counts DML statements and DML rows apart', () => {
    const rows = new Governor('synchronous');
    rows.onDml(10000);
    expect(limitMessage(() => rows.onDml(1))).toBe('Too many DML rows: 10001');
    const statements = new Governor('synchronous');
    for (let i = 0; i < 150; i++) statements.onDml(0);
    expect(limitMessage(() => statements.onDml(0))).toBe('Too many DML statements: 151');
  });

  it('lets a queueable enqueue one job and a synchronous transaction fifty', () => {
    const job = new Governor('queueable');
    job.onEnqueue();
    expect(limitMessage(() => job.onEnqueue())).toBe(
      'Too many queueable jobs added to the queue: 2',
    );
    const sync = new Governor('synchronous');
    for (let i = 0; i < 50; i++) sync.onEnqueue();
    expect(() => sync.onEnqueue()).toThrow(ApexError);
  });

  it('gives a finalizer synchronous limits except heap, enqueued jobs and future calls', () => {
    expect(FINALIZER_LIMITS.soqlQueries).toBe(SYNCHRONOUS_LIMITS.soqlQueries);
    expect(FINALIZER_LIMITS.heapBytes).toBe(ASYNCHRONOUS_LIMITS.heapBytes);
    expect(FINALIZER_LIMITS.queueableJobs).toBe(1);
    expect(new Governor('finalizer').limits).toBe(FINALIZER_LIMITS);
  });

  it('keeps the peak heap estimate and stops past the synchronous heap limit', () => {
    const governor = new Governor('synchronous');
    governor.onHeap(1000);
    governor.onHeap(500);
    expect(governor.usage.heapBytes).toBe(1000);
    expect(limitMessage(() => governor.onHeap(SYNCHRONOUS_LIMITS.heapBytes + 1))).toBe(
      `Apex heap size too large: ${SYNCHRONOUS_LIMITS.heapBytes + 1}`,
    );
  });

  it('gives the code between startTest and stopTest its own counters', () => {
    const governor = new Governor('test');
    for (let i = 0; i < 99; i++) governor.onQuery();
    governor.startTest();
    expect(governor.usage.soqlQueries).toBe(0);
    for (let i = 0; i < 100; i++) governor.onQuery();
    governor.stopTest();
    expect(governor.usage.soqlQueries).toBe(99);
    governor.onQuery();
    expect(limitMessage(() => governor.onQuery())).toBe('Too many SOQL queries: 101');
  });
});
