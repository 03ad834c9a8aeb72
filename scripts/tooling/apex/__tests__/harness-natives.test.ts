import { HttpRequestValue } from '../harness/http';
import { BufferedDebug } from '../harness/install';
import { SESSION_LEVEL } from '../harness/natives';
import {
  ApexError,
  ApexList,
  ApexSet,
  ApexTypeValue,
  STRING_TYPE,
  SObjectValue,
  UnsupportedError,
  typeRef,
  type Value,
} from '../values';
import { FakeObject, FakeRuntime, user } from './harnessFakes';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an exception');
}

const mockType = new ApexTypeValue(typeRef('HttpCalloutMock'));

function inTest(rt: FakeRuntime, fn: () => void) {
  rt.harness.test.running = true;
  rt.transaction('test', fn);
}

describe('callouts', () => {
  function request(rt: FakeRuntime, endpoint: string) {
    const req = rt.construct('HttpRequest');
    rt.method(req, 'setEndpoint', endpoint);
    rt.method(req, 'setMethod', 'GET');
    rt.method(req, 'setHeader', 'Accept', 'application/json');
    return req;
  }

  function mock(rt: FakeRuntime, seen: Value[]) {
    return new FakeObject('OrgApiMock', ['HttpCalloutMock'], {
      respond: (req) => {
        seen.push(req);
        const res = rt.construct('HttpResponse');
        rt.method(res, 'setStatusCode', 200);
        rt.method(res, 'setBody', `{"endpoint":"${String(rt.method(req, 'getEndpoint'))}"}`);
        return res;
      },
    });
  }

  it('sends through the mock set by Test.setMock and counts the callout', () => {
    const rt = new FakeRuntime();
    const seen: Value[] = [];
    inTest(rt, () => {
      rt.call('Test', 'setMock', mockType, mock(rt, seen));
      const req = request(rt, 'callout:Org_API/services/data/v60.0/limits');
      const res = rt.method(rt.construct('Http'), 'send', req);
      expect(seen).toEqual([req]);
      expect(rt.method(res, 'getStatusCode')).toBe(200);
      expect(rt.method(res, 'getBody')).toBe(
        '{"endpoint":"callout:Org_API/services/data/v60.0/limits"}',
      );
      expect(rt.method(req, 'getHeader', 'accept')).toBe('application/json');
      expect(rt.call('Limits', 'getCallouts')).toBe(1);
    });
  });

  it('refuses a callout after uncommitted DML, unless the DML came before Test.startTest', () => {
    const rt = new FakeRuntime();
    inTest(rt, () => {
      rt.call('Test', 'setMock', mockType, mock(rt, []));
      rt.governor.onDml(1);
      const error = thrown(() =>
        rt.method(rt.construct('Http'), 'send', request(rt, 'callout:X/a')),
      ) as ApexError;
      expect([error.typeName, error.message]).toEqual([
        'System.CalloutException',
        'You have uncommitted work pending. Please commit or rollback before calling out',
      ]);
      rt.call('Test', 'startTest');
      const res = rt.method(rt.construct('Http'), 'send', request(rt, 'callout:X/a'));
      expect(rt.method(res, 'getStatusCode')).toBe(200);
    });
  });

  it('treats a queued job as uncommitted work too', () => {
    const rt = new FakeRuntime();
    inTest(rt, () => {
      rt.call('Test', 'setMock', mockType, mock(rt, []));
      rt.call('System', 'enqueueJob', new FakeObject('Job', ['Queueable'], {}));
      const error = thrown(() =>
        rt.method(rt.construct('Http'), 'send', request(rt, 'callout:X/a')),
      );
      expect(error.message).toMatch(/^You have uncommitted work pending/);
    });
  });

  it('throws the platform error without a mock, and refuses to call out outside a test', () => {
    const rt = new FakeRuntime();
    inTest(rt, () => {
      const error = thrown(() =>
        rt.method(rt.construct('Http'), 'send', request(rt, 'https://x')),
      ) as ApexError;
      expect([error.typeName, error.message]).toEqual([
        'System.CalloutException',
        'Methods defined as TestMethod do not support Web service callouts',
      ]);
    });
    rt.harness.test.running = false;
    rt.transaction('synchronous', () => {
      const error = thrown(() => rt.method(rt.construct('Http'), 'send', request(rt, 'https://x')));
      expect(error).toBeInstanceOf(UnsupportedError);
    });
  });

  it('keeps HttpRequest state and prints like the platform', () => {
    const rt = new FakeRuntime();
    const req = request(rt, 'https://example.com') as HttpRequestValue;
    rt.method(req, 'setBody', 'abc');
    expect(rt.method(req, 'getBody')).toBe('abc');
    expect(rt.method(req, 'toString')).toBe(
      'System.HttpRequest[Endpoint=https://example.com, Method=GET]',
    );
  });
});

describe('Messaging', () => {
  function email(rt: FakeRuntime, to: string[]) {
    const e = rt.construct('Messaging.SingleEmailMessage');
    rt.method(e, 'setToAddresses', new ApexList(STRING_TYPE, to));
    rt.method(e, 'setSubject', 'Analytics Health: 1 new critical finding');
    rt.method(e, 'setPlainTextBody', 'body');
    return e;
  }

  it('records sent emails, answers success and counts one email invocation', () => {
    const rt = new FakeRuntime();
    rt.transaction('synchronous', () => {
      rt.call('Messaging', 'reserveSingleEmailCapacity', 1);
      const results = rt.call(
        'Messaging',
        'sendEmail',
        new ApexList(typeRef('Messaging.SingleEmailMessage'), [email(rt, ['ops@example.com'])]),
        false,
      ) as ApexList;
      expect(results.items).toHaveLength(1);
      expect(rt.method(results.items[0], 'isSuccess')).toBe(true);
      expect(rt.call('Limits', 'getEmailInvocations')).toBe(1);
      expect(rt.call('Limits', 'getLimitEmailInvocations')).toBe(10);
    });
    expect(rt.harness.outbox.emails).toEqual([
      {
        to: ['ops@example.com'],
        cc: [],
        bcc: [],
        subject: 'Analytics Health: 1 new critical finding',
        plainTextBody: 'body',
        htmlBody: null,
        targetObjectId: null,
      },
    ]);
    expect(rt.harness.outbox.reservedSingleEmails).toBe(1);
  });

  it('fails a message without recipients as the platform does', () => {
    const rt = new FakeRuntime();
    rt.transaction('synchronous', () => {
      const list = () => new ApexList(typeRef('Messaging.SingleEmailMessage'), [email(rt, [])]);
      const error = thrown(() => rt.call('Messaging', 'sendEmail', list())) as ApexError;
      expect(error.typeName).toBe('System.EmailException');
      expect(error.message).toBe(
        'SendEmail failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Missing target address (target, to, cc, bcc): []',
      );
      const results = rt.call('Messaging', 'sendEmail', list(), false) as ApexList;
      expect(rt.method(results.items[0], 'isSuccess')).toBe(false);
      const errors = rt.method(results.items[0], 'getErrors') as ApexList;
      expect(rt.method(errors.items[0], 'getMessage')).toBe(
        'Missing target address (target, to, cc, bcc)',
      );
    });
    expect(rt.harness.outbox.emails).toEqual([]);
  });

  it('records custom notifications', () => {
    const rt = new FakeRuntime();
    rt.transaction('synchronous', () => {
      const n = rt.construct('Messaging.CustomNotification');
      rt.method(n, 'setNotificationTypeId', '0MLxx0000000001AAA');
      rt.method(n, 'setTitle', 'title');
      rt.method(n, 'setBody', 'body');
      rt.method(n, 'setTargetId', 'a00xx0000000001AAA');
      const users = new ApexSet(STRING_TYPE);
      users.add('005xx0000000001AAA');
      rt.method(n, 'send', users);
    });
    expect(rt.harness.outbox.notifications).toEqual([
      {
        typeId: '0MLxx0000000001AAA',
        title: 'title',
        body: 'body',
        targetId: 'a00xx0000000001AAA',
        targetPageRef: null,
        senderId: null,
        recipients: ['005xx0000000001AAA'],
      },
    ]);
  });
});

describe('System.runAs', () => {
  function withUsers(rt: FakeRuntime) {
    const admin = user('005000000000001AAA', 'en_US', 'America/Los_Angeles');
    const tester = user('005000000000002AAA', 'de_DE', 'Europe/Berlin');
    const stored = new Map([admin, tester].map((u) => [String(u.get('Id')), u]));
    let current = admin;
    rt.harness.test.setUserAccess({
      current: () => current,
      set: (u) => (current = u),
      load: (u) => stored.get(String(u.get('Id'))) as SObjectValue,
    });
    rt.services.locale = 'en_US';
    rt.services.timeZone = 'America/Los_Angeles';
    return { admin, tester, current: () => current };
  }

  it('switches the running user, locale and time zone for the block and restores them', () => {
    const rt = new FakeRuntime();
    const users = withUsers(rt);
    const inside: unknown[] = [];
    rt.harness.test.running = true;
    const onlyId = new SObjectValue('User');
    onlyId.set('Id', '005000000000002AAA');
    rt.harness.test.runAs(rt.ctx, onlyId, () => {
      inside.push(users.current(), rt.services.locale, rt.services.timeZone);
    });
    expect(inside).toEqual([users.tester, 'de_DE', 'Europe/Berlin']);
    expect([users.current(), rt.services.locale, rt.services.timeZone]).toEqual([
      users.admin,
      'en_US',
      'America/Los_Angeles',
    ]);
  });

  it('restores the user when the block throws, and refuses runAs outside a test', () => {
    const rt = new FakeRuntime();
    const users = withUsers(rt);
    rt.harness.test.running = true;
    expect(() =>
      rt.harness.test.runAs(rt.ctx, users.tester, () => {
        throw new ApexError('System.AssertException', 'Assertion Failed');
      }),
    ).toThrow('Assertion Failed');
    expect(users.current()).toBe(users.admin);
    expect(rt.services.locale).toBe('en_US');
    rt.harness.test.running = false;
    expect(() => rt.harness.test.runAs(rt.ctx, users.tester, () => undefined)).toThrow(
      UnsupportedError,
    );
  });
});

describe('System and Auth natives', () => {
  it('System.debug writes String.valueOf of its message, with or without a logging level', () => {
    const rt = new FakeRuntime();
    const debug = rt.services.debug as BufferedDebug;
    rt.call('System', 'debug', new ApexList(STRING_TYPE, ['a', 'b']));
    rt.call('System', 'debug', null);
    rt.call('System', 'debug', 'LEVEL', 42);
    expect(debug.lines).toEqual(['(a, b)', 'null', '42']);
  });

  it('Test.isRunningTest follows the test context', () => {
    const rt = new FakeRuntime();
    expect(rt.call('Test', 'isRunningTest')).toBe(false);
    rt.harness.test.running = true;
    expect(rt.call('Test', 'isRunningTest')).toBe(true);
  });

  it('Auth.SessionManagement answers from the session policy and fails loudly without one', () => {
    const rt = new FakeRuntime();
    const profile = '00e000000000001AAA';
    expect(() =>
      rt.call('Auth.SessionManagement', 'getRequiredSessionLevelForProfile', profile),
    ).toThrow(UnsupportedError);
    const asked: string[] = [];
    rt.services.sessionPolicy = {
      requiredSessionLevel: (id: string) => {
        asked.push(id);
        return 'HIGH_ASSURANCE';
      },
      isIpAllowed: (_id: string, ip: string) => ip.startsWith('10.'),
    };
    expect(rt.call('Auth.SessionManagement', 'getRequiredSessionLevelForProfile', profile)).toBe(
      SESSION_LEVEL.HIGH_ASSURANCE,
    );
    expect(asked).toEqual(['00e000000000001']);
    expect(rt.field('Auth.SessionLevel', 'HIGH_ASSURANCE')).toBe(SESSION_LEVEL.HIGH_ASSURANCE);
    expect(rt.call('Auth.SessionManagement', 'isIpAllowedForProfile', profile, '10.1.2.3')).toBe(
      true,
    );
    expect(rt.call('Auth.SessionManagement', 'isIpAllowedForProfile', profile, '192.168.0.1')).toBe(
      false,
    );
  });
});
