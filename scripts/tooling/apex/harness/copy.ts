// System.enqueueJob and System.schedule serialize the job object: the job that runs is a copy,
// and changes the enqueuing code makes afterwards do not reach it (nor the job's changes the
// original). Collections, SObjects and instances of the package's classes are copied deeply
// (shared references stay shared); platform objects modelled by natives are kept as they are.
import type { Interop } from '../natives/registry';
import {
  ApexList,
  ApexMap,
  ApexSet,
  SObjectValue,
  isInstance,
  type ApexInstance,
  type Value,
} from '../values';

export function copyForQueue(value: Value, interop: Interop): Value {
  const seen = new Map<object, Value>();
  const copy = (v: Value): Value => {
    if (v === null || typeof v !== 'object') return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    if (v instanceof ApexList) {
      const out = new ApexList(v.elementType);
      seen.set(v, out);
      for (const item of v.items) out.items.push(copy(item));
      return out;
    }
    if (v instanceof ApexSet) {
      const out = new ApexSet(v.elementType);
      seen.set(v, out);
      for (const item of v.values()) out.add(copy(item));
      return out;
    }
    if (v instanceof ApexMap) {
      const out = new ApexMap(v.keyType, v.valueType);
      seen.set(v, out);
      for (const [key, val] of v.entries.values()) out.put(copy(key), copy(val));
      return out;
    }
    if (v instanceof SObjectValue) {
      const out = new SObjectValue(v.sobjectType);
      seen.set(v, out);
      for (const [name, val] of v.fields.values()) out.set(name, copy(val));
      return out;
    }
    if (isInstance(v)) {
      const shape = interop.describeClass(v.apexType);
      if (!shape) return v; // a platform object: immutable or not serialized by the platform
      const out: ApexInstance = interop.newBlank(v.apexType);
      seen.set(v, out);
      for (const field of shape.fields) {
        interop.setField(out, field.name, copy(interop.getField(v, field.name)));
      }
      return out;
    }
    return v; // Decimal, Id, dates, Blob, enum constants: immutable
  };
  return copy(value);
}
