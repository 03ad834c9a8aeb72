// Pass 3: the class model. Each top-level class, inner class, interface and enum of the package
// becomes a ClassModel: its members by lower-case name (Apex names are case-insensitive), its
// superclass and interfaces once every file is loaded, and the slot layout of its fields.
import { EnumValue, typeRef, type TypeRef, type Value } from '../values';
import type {
  Annotation,
  ClassDecl,
  FieldDecl,
  MethodDecl,
  PropertyDecl,
  Stmt,
  TypeNode,
} from './ast';

/** A method or constructor; `compiled` is filled on the first call (see compile.ts). */
export class MethodModel {
  compiled: unknown = null;
  readonly key: string;
  readonly isStatic: boolean;
  readonly isAbstract: boolean;
  readonly annotations: readonly string[];
  constructor(
    readonly cls: ClassModel,
    readonly decl: MethodDecl,
  ) {
    this.key = decl.name.toLowerCase();
    this.isStatic = decl.modifiers.includes('static');
    this.isAbstract = decl.body === null;
    this.annotations = decl.annotations.map((a: Annotation) => a.name);
  }
  get name(): string {
    return this.decl.name;
  }
  get arity(): number {
    return this.decl.params.length;
  }
  /** 'Class.method' as stack traces print it. */
  get label(): string {
    return `${this.cls.qualified}.${this.decl.isConstructor ? '<init>' : this.decl.name}`;
  }
}

/** A static or instance field (properties keep their value in one too). */
export interface FieldModel {
  readonly name: string;
  readonly type: TypeNode;
  readonly isStatic: boolean;
  readonly owner: ClassModel;
  /** Index into the statics array or the instance's field array. */
  slot: number;
  readonly decl: FieldDecl | null;
  readonly property: PropertyModel | null;
}

export interface PropertyModel {
  readonly decl: PropertyDecl;
  /** Accessor bodies compiled as methods; null when automatic or absent. */
  readonly getter: MethodModel | null;
  readonly setter: MethodModel | null;
  field: FieldModel;
}

export class ClassModel {
  readonly key: string;
  readonly kind: ClassDecl['kind'];
  readonly inner = new Map<string, ClassModel>();
  readonly staticFields = new Map<string, FieldModel>();
  /** Own instance fields; `instanceFields()` adds the inherited ones. */
  readonly ownFields = new Map<string, FieldModel>();
  readonly methods = new Map<string, MethodModel[]>();
  readonly constructors: MethodModel[];
  /** Resolved after all files load: a user superclass, or a native one (e.g. 'Exception'). */
  superclass: ClassModel | null = null;
  nativeSuper: string | null = null;
  /** User interfaces, and names of native ones ('Queueable', 'Comparable'). */
  interfaces: ClassModel[] = [];
  nativeInterfaces: string[] = [];
  readonly enumValues: EnumValue[];
  readonly type: TypeRef;
  /** Per-transaction static state: valid while `epoch` equals the runtime's. */
  epoch = -1;
  /** The transaction in which this class's static initialiser threw (EXC-17); -1 when none. */
  failedEpoch = -1;
  statics: Value[] = [];
  private layout: Map<string, FieldModel> | null = null;
  fieldCount = 0;

  constructor(
    readonly decl: ClassDecl,
    readonly file: string,
    readonly outer: ClassModel | null,
    readonly isTest: boolean,
  ) {
    this.kind = decl.kind;
    this.key = this.qualified.toLowerCase();
    this.type = typeRef(this.qualified);
    this.enumValues = decl.enumConstants.map((n, i) => new EnumValue(this.qualified, n, i));
    for (const m of decl.methods) this.addMethod(new MethodModel(this, m));
    this.constructors = decl.constructors.map((c) => new MethodModel(this, c));
    let staticSlot = 0;
    for (const f of decl.fields) {
      const isStatic = f.modifiers.includes('static');
      const field: FieldModel = {
        name: f.name,
        type: f.type,
        isStatic,
        owner: this,
        slot: isStatic ? staticSlot++ : -1,
        decl: f,
        property: null,
      };
      (isStatic ? this.staticFields : this.ownFields).set(f.name.toLowerCase(), field);
    }
    for (const p of decl.properties) {
      const isStatic = p.modifiers.includes('static');
      const accessor = (body: Stmt | null | undefined, kind: 'get' | 'set') =>
        body
          ? new MethodModel(this, {
              name: `${p.name}.${kind}`,
              line: body.line,
              modifiers: isStatic ? ['static'] : [],
              annotations: [],
              params: kind === 'set' ? [{ type: p.type, name: 'value' }] : [],
              returnType: kind === 'get' ? p.type : null,
              body,
              isConstructor: false,
            })
          : null;
      const property: PropertyModel = {
        decl: p,
        getter: accessor(p.getter, 'get'),
        setter: accessor(p.setter, 'set'),
        field: null as unknown as FieldModel,
      };
      const field: FieldModel = {
        name: p.name,
        type: p.type,
        isStatic,
        owner: this,
        slot: isStatic ? staticSlot++ : -1,
        decl: null,
        property,
      };
      property.field = field;
      (isStatic ? this.staticFields : this.ownFields).set(p.name.toLowerCase(), field);
    }
    this.staticCount = staticSlot;
  }

  readonly staticCount: number;

  get name(): string {
    return this.decl.name;
  }

  /** 'Outer.Inner' for inner classes. */
  get qualified(): string {
    return this.outer ? `${this.outer.qualified}.${this.decl.name}` : this.decl.name;
  }

  get isAbstract(): boolean {
    return this.decl.modifiers.includes('abstract') || this.kind === 'interface';
  }

  /** 'with', 'without', 'inherited' or null (no sharing keyword). */
  get sharing(): string | null {
    for (const m of this.decl.modifiers) {
      if (m.endsWith('sharing')) return m.slice(0, -'sharing'.length);
    }
    return null;
  }

  private addMethod(m: MethodModel): void {
    const list = this.methods.get(m.key);
    if (list) list.push(m);
    else this.methods.set(m.key, [m]);
  }

  /** Every instance field including inherited ones, with slots assigned (superclass first). */
  instanceFields(): Map<string, FieldModel> {
    if (this.layout) return this.layout;
    const layout = new Map(this.superclass ? this.superclass.instanceFields() : []);
    let slot = this.superclass ? this.superclass.fieldCount : 0;
    for (const [key, field] of this.ownFields) {
      field.slot = slot++;
      layout.set(key, field);
    }
    this.fieldCount = slot;
    this.layout = layout;
    return layout;
  }

  /** A static field of this class or a superclass. */
  findStatic(key: string): FieldModel | undefined {
    for (const c of this.ancestors()) {
      const f = c.staticFields.get(key);
      if (f) return f;
    }
    return undefined;
  }

  /** Methods named `key` visible on this class: own first, then inherited ones not overridden. */
  findMethods(key: string): MethodModel[] {
    const found: MethodModel[] = [];
    for (const c of this.ancestors()) {
      for (const m of c.methods.get(key) ?? []) {
        if (!found.some((f) => sameSignature(f, m))) found.push(m);
      }
    }
    // Interface methods (abstract) are only placeholders for dispatch on interface types.
    if (!found.length && this.kind === 'interface') {
      for (const i of this.interfaces) found.push(...i.findMethods(key));
    }
    return found;
  }

  /** This class and its superclasses, nearest first. */
  ancestors(): ClassModel[] {
    const chain: ClassModel[] = [this];
    for (let c = this.superclass; c; c = c.superclass) chain.push(c);
    return chain;
  }

  /** Is `other` this class, a superclass, or an interface this class implements? */
  isSubtypeOf(other: ClassModel): boolean {
    for (const c of this.ancestors()) {
      if (c === other) return true;
      for (const i of c.interfaces) if (i === other || i.isSubtypeOf(other)) return true;
    }
    return false;
  }

  /** Native supertypes ('Exception', 'Queueable', ...) reachable from this class. */
  nativeSupertypes(): string[] {
    const names: string[] = [];
    for (const c of this.ancestors()) {
      if (c.nativeSuper) names.push(c.nativeSuper);
      names.push(...c.nativeInterfaces);
      for (const i of c.interfaces) names.push(...i.nativeSupertypes());
    }
    return names;
  }

  /** Does this class extend Exception (directly or through user classes)? */
  get isException(): boolean {
    for (const c of this.ancestors()) {
      if (c.nativeSuper && /(^|\.)exception$/i.test(c.nativeSuper)) return true;
    }
    return false;
  }

  hasAnnotation(name: string): boolean {
    return this.decl.annotations.some((a) => a.name === name);
  }
}

function sameSignature(a: MethodModel, b: MethodModel): boolean {
  if (a.arity !== b.arity) return false;
  return a.decl.params.every(
    (p, i) => typeText(p.type).toLowerCase() === typeText(b.decl.params[i].type).toLowerCase(),
  );
}

export function typeText(t: TypeNode): string {
  const args = t.args.length ? `<${t.args.map(typeText).join(',')}>` : '';
  return `${t.name}${args}${'[]'.repeat(t.array)}`;
}

/** Every class of the package by lower-case qualified name. */
export class ClassTable {
  readonly byKey = new Map<string, ClassModel>();

  add(decl: ClassDecl, file: string, outer: ClassModel | null = null): ClassModel {
    const isTest = (outer?.isTest ?? false) || decl.annotations.some((a) => a.name === 'istest');
    const model = new ClassModel(decl, file, outer, isTest);
    if (this.byKey.has(model.key)) {
      throw new Error(`${file}:${decl.line}: class ${model.qualified} is defined twice`);
    }
    this.byKey.set(model.key, model);
    outer?.inner.set(decl.name.toLowerCase(), model);
    for (const inner of decl.inner) this.add(inner, file, model);
    return model;
  }

  remove(model: ClassModel): void {
    this.byKey.delete(model.key);
    for (const inner of model.inner.values()) this.remove(inner);
  }

  /**
   * A user class named in code of class `from`: its own inner classes, those of its superclasses
   * and outer classes, then top-level classes; dotted names ('Outer.Inner') from the top.
   */
  lookup(name: string, from: ClassModel | null): ClassModel | null {
    const parts = name.toLowerCase().split('.');
    let first: ClassModel | null = null;
    for (let scope = from; scope && !first; scope = scope.outer) {
      for (const c of scope.ancestors()) {
        if (c.key.endsWith(parts[0]) && c.name.toLowerCase() === parts[0]) first = c;
        first ??= c.inner.get(parts[0]) ?? null;
        if (first) break;
      }
    }
    first ??= this.byKey.get(parts[0]) ?? null;
    let found = first;
    for (const part of parts.slice(1)) found = found?.inner.get(part) ?? null;
    return found;
  }
}
