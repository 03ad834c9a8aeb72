import { XmlNodeValue } from '../natives/xml';
import { findNative } from '../natives/registry';
import { ApexBlob, ApexDecimal, ApexList } from '../values';
import { fakeContext } from './fakeContext';
import { apexErrorOf, call, stat } from './nativeCalls';

describe('Blob, EncodingUtil, Crypto', () => {
  test('Blob.valueOf / toString round-trip UTF-8; size counts bytes', () => {
    const blob = stat('Blob', 'valueOf', ['héllo']) as ApexBlob;
    expect(call('Blob', 'size', blob)).toBe(6);
    expect(call('Blob', 'toString', blob)).toBe('héllo');
  });
  test('EncodingUtil.urlEncode is java.net.URLEncoder', () => {
    expect(stat('EncodingUtil', 'urlEncode', ["SELECT Id FROM X WHERE a = 'b*c~'", 'UTF-8'])).toBe(
      'SELECT+Id+FROM+X+WHERE+a+%3D+%27b*c%7E%27',
    );
  });
  test('base64 round trip', () => {
    const encoded = stat('EncodingUtil', 'base64Encode', [stat('Blob', 'valueOf', ['hi'])]);
    expect(encoded).toBe('aGk=');
    expect(call('Blob', 'toString', stat('EncodingUtil', 'base64Decode', [encoded]))).toBe('hi');
  });
  test('Crypto.getRandomInteger is a 32-bit Integer', () => {
    const n = stat('Crypto', 'getRandomInteger') as number;
    expect(Number.isInteger(n) && n >= -2147483648 && n <= 2147483647).toBe(true);
  });
});

describe('Assert and System.assert*', () => {
  test('STR-08 areEqual is case-sensitive; the message names expected and actual', () => {
    expect(apexErrorOf(() => stat('Assert', 'areEqual', ['a', 'A']))).toBe(
      'System.AssertException: Assertion Failed: Expected: a, Actual: A',
    );
    expect(apexErrorOf(() => stat('Assert', 'areEqual', [1, 2, 'the count']))).toBe(
      'System.AssertException: Assertion Failed: the count: Expected: 1, Actual: 2',
    );
    expect(stat('Assert', 'areEqual', [1, ApexDecimal.parse('1.0')])).toBeNull();
  });
  test('System.assertEquals and assertNotEquals', () => {
    expect(apexErrorOf(() => stat('System', 'assertEquals', [null, 'x', 'm']))).toBe(
      'System.AssertException: Assertion Failed: m: Expected: null, Actual: x',
    );
    expect(apexErrorOf(() => stat('System', 'assertNotEquals', [1, 1]))).toBe(
      'System.AssertException: Assertion Failed: Same value: 1',
    );
  });
  test('isTrue/isFalse/isNull/isNotNull/fail', () => {
    expect(apexErrorOf(() => stat('Assert', 'isTrue', [false, 'why']))).toBe(
      'System.AssertException: Assertion Failed: why',
    );
    expect(stat('Assert', 'isFalse', [false])).toBeNull();
    expect(apexErrorOf(() => stat('Assert', 'isNull', ['x']))).toBe(
      'System.AssertException: Assertion Failed: Expected: null, Actual: x',
    );
    expect(apexErrorOf(() => stat('Assert', 'isNotNull', [null, 'needed']))).toBe(
      'System.AssertException: Assertion Failed: needed',
    );
    expect(apexErrorOf(() => stat('Assert', 'fail', ['stop']))).toBe(
      'System.AssertException: Assertion Failed: stop',
    );
    expect(apexErrorOf(() => stat('System', 'assert', [false]))).toBe(
      'System.AssertException: Assertion Failed',
    );
  });
});

describe('Dom.Document and Dom.XmlNode', () => {
  const soap =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><readMetadataResponse><result>' +
    '<records><sessionSettings><lockSessionsToIp> true </lockSessionsToIp></sessionSettings>' +
    '<note>a &amp; b<![CDATA[ <c>]]></note></records></result></readMetadataResponse></soapenv:Body></soapenv:Envelope>';
  const load = () => {
    const doc = findNative('Dom.Document')!.construct!(fakeContext(), [], {
      name: 'Dom.Document',
      args: [],
    });
    call('Dom.Document', 'load', doc, [soap]);
    return call('Dom.Document', 'getRootElement', doc) as XmlNodeValue;
  };
  test('getName is the local name; getNamespace the resolved URI', () => {
    const root = load();
    expect(call('Dom.XmlNode', 'getName', root)).toBe('Envelope');
    expect(call('Dom.XmlNode', 'getNamespace', root)).toBe(
      'http://schemas.xmlsoap.org/soap/envelope/',
    );
    const body = (call('Dom.XmlNode', 'getChildElements', root) as ApexList)
      .items[0] as XmlNodeValue;
    expect(call('Dom.XmlNode', 'getName', body)).toBe('Body');
  });
  test('getText joins text and CDATA with entities decoded', () => {
    let node = load();
    for (const name of ['Body', 'readMetadataResponse', 'result', 'records']) {
      node = (call('Dom.XmlNode', 'getChildElements', node) as ApexList).items.find(
        (c) => call('Dom.XmlNode', 'getName', c) === name,
      ) as XmlNodeValue;
    }
    const [settings, note] = (call('Dom.XmlNode', 'getChildElements', node) as ApexList)
      .items as XmlNodeValue[];
    const lock = (call('Dom.XmlNode', 'getChildElements', settings) as ApexList).items[0];
    expect(call('Dom.XmlNode', 'getText', lock)).toBe(' true ');
    expect(call('Dom.XmlNode', 'getText', note)).toBe('a & b <c>');
  });
  test('malformed XML throws XmlException', () => {
    const doc = findNative('Dom.Document')!.construct!(fakeContext(), [], {
      name: 'Dom.Document',
      args: [],
    });
    expect(apexErrorOf(() => call('Dom.Document', 'load', doc, ['<a><b></a>']))).toMatch(
      /^System\.XmlException: Failed to parse XML/,
    );
  });
});
