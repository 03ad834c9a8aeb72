import { JSON_TOKEN } from '../natives/json';
import { FakeObject, fakeContext } from './fakeContext';
import { apexErrorOf, call, field, stat } from './nativeCalls';
import {
  ApexDatetime,
  ApexDecimal,
  ApexList,
  ApexMap,
  ApexTypeValue,
  INTEGER_TYPE,
  OBJECT_TYPE,
  SObjectValue,
  STRING_TYPE,
  toApexString,
  typeRef,
  type Value,
} from '../values';

const ctx = fakeContext({
  classes: {
    Wrapper: {
      fields: [
        { name: 'name', type: STRING_TYPE },
        { name: 'count', type: INTEGER_TYPE },
        { name: 'tags', type: typeRef('List', STRING_TYPE) },
      ],
    },
  },
  sobjects: {
    Analytics_Health_List_Entry__mdt: [
      { name: 'DeveloperName', type: STRING_TYPE },
      { name: 'Is_Active__c', type: typeRef('Boolean') },
      { name: 'Value__c', type: STRING_TYPE },
    ],
    SetupAuditTrail: [
      { name: 'Id', type: typeRef('Id') },
      { name: 'CreatedDate', type: typeRef('Datetime') },
    ],
  },
});
const typeOf = (name: string, ...args: ReturnType<typeof typeRef>[]) =>
  new ApexTypeValue(typeRef(name, ...args));
const json = (method: string, ...args: Value[]) => stat('JSON', method, args, ctx);

describe('JSON.deserializeUntyped', () => {
  test('JSN-01 objects, arrays and number typing', () => {
    const map = json(
      'deserializeUntyped',
      '{"b":1,"a":[3000000000,1.50,1e5,true,null,"x"]}',
    ) as ApexMap;
    expect(map.keys()).toEqual(['b', 'a']);
    expect(map.get('b')).toBe(1);
    const items = (map.get('a') as ApexList).items;
    expect(items[0]).toBe(3000000000n);
    expect(toApexString(items[1])).toBe('1.50');
    expect(items[2]).toBeInstanceOf(ApexDecimal);
    expect(items.slice(3)).toEqual([true, null, 'x']);
  });
  test('JSN-10 malformed JSON throws JSONException', () => {
    expect(apexErrorOf(() => json('deserializeUntyped', '{"a":x}'))).toMatch(
      /^System\.JSONException: Unexpected character \('x' \(code 120\)\)/,
    );
    expect(apexErrorOf(() => json('deserializeUntyped', '[1,]'))).toMatch(/^System\.JSONException/);
    expect(apexErrorOf(() => json('deserializeUntyped', '[1] [2]'))).toMatch(
      /^System\.JSONException/,
    );
  });
});

describe('JSON.serialize', () => {
  test('JSN-02/JSN-03 numbers keep their form; Datetime is ISO GMT with milliseconds', () => {
    const map = new ApexMap(STRING_TYPE, OBJECT_TYPE);
    map.put('d', ApexDecimal.parse('1.10'));
    map.put('i', 2);
    map.put('t', new ApexDatetime(Date.UTC(2024, 0, 5, 10)));
    map.put('s', 'a"b\n');
    map.put('n', null);
    expect(json('serialize', map)).toBe(
      '{"d":1.10,"i":2,"t":"2024-01-05T10:00:00.000Z","s":"a\\"b\\n","n":null}',
    );
  });
  test('JSN-04 Apex objects in field order; suppressApexObjectNulls drops null fields', () => {
    const w = new FakeObject(typeRef('Wrapper'));
    w.fields.set('name', 'x');
    expect(json('serialize', w)).toBe('{"name":"x","count":null,"tags":null}');
    expect(json('serialize', w, true)).toBe('{"name":"x"}');
  });
  test('JSN-05 SObjects start with attributes; url only with an Id', () => {
    const record = new SObjectValue('Account');
    record.set('Name', 'Acme');
    expect(json('serialize', record)).toBe('{"attributes":{"type":"Account"},"Name":"Acme"}');
  });
  test('JSN-07 serializePretty is Jackson default pretty printing', () => {
    const inner = new ApexMap(STRING_TYPE, OBJECT_TYPE);
    inner.put('b', 1);
    const map = new ApexMap(STRING_TYPE, OBJECT_TYPE);
    map.put('a', new ApexList(OBJECT_TYPE, [inner, 2]));
    map.put('e', new ApexList(OBJECT_TYPE, []));
    expect(json('serializePretty', map)).toBe(
      '{\n  "a" : [ {\n    "b" : 1\n  }, 2 ],\n  "e" : [ ]\n}',
    );
  });
});

describe('JSON.deserialize', () => {
  test('JSN-08 into an Apex class: fields by name, case-insensitive, extras ignored', () => {
    const w = json(
      'deserialize',
      '{"NAME":"x","count":3,"tags":["a"],"extra":1}',
      typeOf('Wrapper'),
    ) as FakeObject;
    expect(w.fields.get('name')).toBe('x');
    expect(w.fields.get('count')).toBe(3);
    expect((w.fields.get('tags') as ApexList).items).toEqual(['a']);
  });
  test('JSN-08 deserializeStrict rejects extra attributes', () => {
    expect(apexErrorOf(() => json('deserializeStrict', '{"extra":1}', typeOf('Wrapper')))).toMatch(
      /^System\.JSONException: Unknown field: Wrapper\.extra/,
    );
  });
  test('JSN-09 typed values and mismatches', () => {
    expect(toApexString(json('deserialize', '100.1', typeOf('Decimal')))).toBe('100.1');
    expect(apexErrorOf(() => json('deserialize', '{"count":"abc"}', typeOf('Wrapper')))).toMatch(
      /^System\.JSONException/,
    );
    expect(apexErrorOf(() => json('deserialize', '{"a":1}', typeOf('List', STRING_TYPE)))).toMatch(
      /^System\.JSONException/,
    );
  });
  test('DAT-08 ISO-8601 text into a Datetime; an impossible month fails', () => {
    expect(json('deserialize', '"2026-11-20T08:00:00.000Z"', typeOf('Datetime'))).toEqual(
      new ApexDatetime(Date.UTC(2026, 10, 20, 8)),
    );
    expect(json('deserialize', '"2026-11-20T09:00:00+01:00"', typeOf('Datetime'))).toEqual(
      new ApexDatetime(Date.UTC(2026, 10, 20, 8)),
    );
    expect(
      apexErrorOf(() => json('deserialize', '"2026-13-20T08:00:00Z"', typeOf('Datetime'))),
    ).toMatch(/^System\.JSONException/);
  });
  test('JSN-08 a List of SObjects with typed fields; attributes skipped', () => {
    const list = json(
      'deserialize',
      '[{"attributes":{"type":"Analytics_Health_List_Entry__mdt"},"DeveloperName":"Internal","Is_Active__c":true}]',
      typeOf('List', typeRef('Analytics_Health_List_Entry__mdt')),
    ) as ApexList;
    const record = list.items[0] as SObjectValue;
    expect(record.sobjectType).toBe('Analytics_Health_List_Entry__mdt');
    expect(record.get('developername')).toBe('Internal');
    expect(record.get('Is_Active__c')).toBe(true);
    expect(record.has('attributes')).toBe(false);
  });
  test('a Datetime field of an SObject is typed from its description', () => {
    const record = json(
      'deserialize',
      '{"CreatedDate":"2026-11-02T09:30:00.000Z"}',
      typeOf('SetupAuditTrail'),
    ) as SObjectValue;
    expect(record.get('CreatedDate')).toEqual(new ApexDatetime(Date.UTC(2026, 10, 2, 9, 30)));
  });
});

describe('JSONParser', () => {
  test('JSN-11 tokens, names and texts', () => {
    const parser = json('createParser', '{"a":{"x":1},"b":[true]}');
    expect(call('JSONParser', 'getCurrentToken', parser, [], ctx)).toBeNull();
    const seen: string[] = [];
    for (
      let t = call('JSONParser', 'nextToken', parser, [], ctx);
      t !== null;
      t = call('JSONParser', 'nextToken', parser, [], ctx)
    ) {
      seen.push(
        `${toApexString(t)}:${toApexString(call('JSONParser', 'getText', parser, [], ctx))}`,
      );
    }
    expect(seen).toEqual([
      'START_OBJECT:{',
      'FIELD_NAME:a',
      'START_OBJECT:{',
      'FIELD_NAME:x',
      'VALUE_NUMBER_INT:1',
      'END_OBJECT:}',
      'FIELD_NAME:b',
      'START_ARRAY:[',
      'VALUE_TRUE:true',
      'END_ARRAY:]',
      'END_OBJECT:}',
    ]);
  });
  test('JSONToken constants are the parser tokens (identity for ==)', () => {
    const parser = json('createParser', '[1]');
    expect(call('JSONParser', 'nextToken', parser, [], ctx)).toBe(
      field('JSONToken', 'START_ARRAY'),
    );
    expect(field('JSONToken', 'START_ARRAY')).toBe(JSON_TOKEN.START_ARRAY);
    call('JSONParser', 'nextToken', parser, [], ctx);
    expect(call('JSONParser', 'getIntegerValue', parser, [], ctx)).toBe(1);
  });
});
