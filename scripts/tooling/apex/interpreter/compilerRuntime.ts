// What compiled method bodies call at run time: compile.ts depends on this interface and
// interpreter.ts implements it, so neither imports the other. Also here, as both use them: a
// method's frame and an Apex exception on its way up the stack.
import { exceptionText, UNCATCHABLE, type ExceptionState } from '../natives/core';
import type { NativeContext, NativeMethod } from '../natives/registry';
import type { OrgService } from '../org/orgService';
import type { SObjectValue, Value } from '../values';
import type { DmlOp } from './ast';
import type { ClassModel, ClassTable, MethodModel } from './classes';
import type { ApexObject } from './objects';
import type { TypeSystem } from './types';

/** One activation of a method. */
export interface Frame {
  locals: Value[];
  self: ApexObject | null;
  method: MethodModel | null;
  cls: ClassModel;
  /** Line of the statement running now (stack traces, Interop.location). */
  line: number;
  ret: Value;
}

/** An Apex exception on its way up the stack (and out of the runtime, when nobody catches it). */
export class ApexThrown extends Error {
  constructor(
    /** The exception object: a SystemException or an instance of a user exception class. */
    readonly exception: Value & { exception: ExceptionState },
    /** 'File.cls:line', innermost first. */
    readonly stackTrace: string[],
  ) {
    super(exceptionText(exception.exception).slice(exception.exception.typeName.length + 2));
    this.name = 'ApexThrown';
  }
  get typeName(): string {
    return this.exception.exception.typeName;
  }
  /** The exception object (the harness's ThrownApex.value). */
  get value(): Value {
    return this.exception;
  }
  override toString(): string {
    return exceptionText(this.exception.exception);
  }
  get uncatchable(): boolean {
    return UNCATCHABLE.has(this.typeName.toLowerCase());
  }
}

/** The interpreter as the compiler sees it (see Interpreter for what each member does). */
export interface CompilerRuntime {
  readonly classes: ClassTable;
  readonly types: TypeSystem;
  readonly ctx: NativeContext;
  readonly org: OrgService | undefined;
  readonly epoch: number;
  invoke(method: MethodModel, self: ApexObject | null, args: Value[]): Value;
  callMethod(target: Value, key: string, args: Value[]): Value;
  readMember(target: Value, name: string, key: string): Value;
  writeMember(target: Value, name: string, key: string, value: Value): void;
  sobjectName(name: string): string | null;
  readSObjectField(record: SObjectValue, name: string): Value;
  writeSObjectField(record: SObjectValue, name: string, value: Value): void;
  override(cls: ClassModel, method: MethodModel): MethodModel;
  nativeMethodOf(target: Value, key: string): NativeMethod | null;
  hitsFor(file: string): Uint8Array;
  thrownFrom(exception: Value & { exception: ExceptionState }): ApexThrown;
  statics(cls: ClassModel): Value[];
  runAs(user: Value, body: () => void): void;
  query(text: string, binds: Value[]): Value;
  onStatement(): void;
  instantiate(cls: ClassModel, args: Value[], ctor?: MethodModel | null): ApexObject;
  dml(op: DmlOp, target: Value, access: 'user' | 'system' | null, externalId: string | null): void;
  capture(error: unknown): unknown;
}
