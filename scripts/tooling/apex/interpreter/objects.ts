// Instances of the package's classes. Fields live in an array whose slots the class model assigns
// (superclass fields first), so a resolved field access is one array index.
import type { ExceptionState } from '../natives/core';
import type { ApexInstance, TypeRef, Value } from '../values';
import type { ClassModel } from './classes';

export class ApexObject implements ApexInstance {
  /** Set for classes that extend Exception: message, cause, line and stack. */
  exception: ExceptionState | null = null;
  constructor(
    readonly cls: ClassModel,
    readonly fields: Value[],
  ) {}
  get apexType(): TypeRef {
    return this.cls.type;
  }
}
