// The heap estimate the governor checks against "Apex heap size too large". The platform does not
// publish its accounting, so this is a documented model, stable enough to compare runs:
//
//   Boolean, Integer, enum constant     4 bytes
//   Long, Double, Date, Datetime, Time  8 bytes
//   Decimal                             8 bytes + 1 per 2 digits of its unscaled value
//   String                              2 bytes per character (UTF-16), no header
//   Id                                  36 bytes (18 characters)
//   Blob                                1 byte per byte
//   List, Set                           12 bytes + 4 per element slot + each element
//   Map                                 12 bytes + 8 per entry + each key and value
//   SObject                             12 bytes + 4 per field + each field value
//   object of a user class              12 bytes + 4 per field + each field value
//   other native objects (Pattern, ...) 12 bytes
//
// An object reachable twice is counted once. The roots are the static fields of every class
// initialised in the transaction and the locals and `this` of every live stack frame; the
// interpreter samples every HEAP_SAMPLE_STATEMENTS statements and after each SOQL result.
import {
  ApexBlob,
  ApexDate,
  ApexDatetime,
  ApexDecimal,
  ApexDouble,
  ApexId,
  ApexList,
  ApexMap,
  ApexSet,
  ApexTime,
  EnumValue,
  SObjectValue,
  type Value,
} from '../values';
import { ApexObject } from './objects';

export const HEAP_SAMPLE_STATEMENTS = 20000;

const HEADER = 12;
const SLOT = 4;

export function estimateHeap(roots: Iterable<Value>): number {
  const seen = new Set<object>();
  let total = 0;
  const stack: Value[] = [...roots];
  while (stack.length) {
    const v = stack.pop()!;
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case 'boolean':
      case 'number':
        total += 4;
        continue;
      case 'bigint':
        total += 8;
        continue;
      case 'string':
        total += 2 * v.length;
        continue;
      default:
        break;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    if (v instanceof ApexDouble || v instanceof ApexDate || v instanceof ApexDatetime) total += 8;
    else if (v instanceof ApexTime) total += 8;
    else if (v instanceof ApexDecimal) total += 8 + Math.ceil(v.unscaled.toString().length / 2);
    else if (v instanceof ApexId) total += 36;
    else if (v instanceof EnumValue) total += 4;
    else if (v instanceof ApexBlob) total += v.bytes.length;
    else if (v instanceof ApexList) {
      total += HEADER + SLOT * v.items.length;
      for (const item of v.items) stack.push(item);
    } else if (v instanceof ApexSet) {
      total += HEADER + SLOT * v.size;
      for (const item of v.entries.values()) stack.push(item);
    } else if (v instanceof ApexMap) {
      total += HEADER + 2 * SLOT * v.size;
      for (const [key, value] of v.entries.values()) stack.push(key, value);
    } else if (v instanceof SObjectValue) {
      total += HEADER + SLOT * v.fields.size;
      for (const [, value] of v.fields.values()) stack.push(value);
    } else if (v instanceof ApexObject) {
      total += HEADER + SLOT * v.fields.length;
      for (const value of v.fields) stack.push(value);
    } else total += HEADER;
  }
  return total;
}
