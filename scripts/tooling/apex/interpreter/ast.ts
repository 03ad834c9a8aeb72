// The small AST the evaluator compiles. Lowering (lower.ts) keeps only what execution needs: names
// as written (resolution happens when a method is first compiled), source lines for statements
// and expressions that can fail, and SOQL as text with its bind expressions cut out.
import type { Value } from '../values';

/** A type as written: `Map<String, List<Foo.Bar>>`, `String[]` (array = 1). */
export interface TypeNode {
  /** Dotted name as written: 'Map', 'Foo.Bar', 'Schema.SObjectType'. */
  readonly name: string;
  readonly args: readonly TypeNode[];
  readonly array: number;
}

export type BinaryOp =
  | '+'
  | '-'
  | '*'
  | '/'
  | '<'
  | '<='
  | '>'
  | '>='
  | '=='
  | '!='
  | '==='
  | '!=='
  | '&'
  | '|'
  | '^'
  | '<<'
  | '>>'
  | '>>>';

export type AssignOp =
  '=' | '+=' | '-=' | '*=' | '/=' | '&=' | '|=' | '^=' | '<<=' | '>>=' | '>>>=';

export type Expr =
  | { kind: 'literal'; line: number; value: Value }
  /** An identifier chain `a.b.c`: a variable and fields, or a type and a static member. */
  | { kind: 'name'; line: number; parts: string[] }
  | { kind: 'field'; line: number; target: Expr; name: string; safe: boolean }
  /** `m(args)` (target null), `x.m(args)`, `this.m()`, `super.m()`. */
  | { kind: 'call'; line: number; target: Expr | null; name: string; args: Expr[]; safe: boolean }
  /** `this(args)` / `super(args)` as a constructor's first statement. */
  | { kind: 'ctorCall'; line: number; which: 'this' | 'super'; args: Expr[] }
  | { kind: 'index'; line: number; target: Expr; index: Expr }
  | { kind: 'new'; line: number; type: TypeNode; args: Expr[] }
  /** `new List<T>{a, b}`, `new Set<T>{…}`, `new T[]{…}`, `new T[n]`, `new Map<K,V>{k => v}`. */
  | {
      kind: 'newCollection';
      line: number;
      type: TypeNode;
      items: Expr[] | null;
      size: Expr | null;
      pairs: [Expr, Expr][] | null;
    }
  | { kind: 'unary'; line: number; op: '-' | '+' | '!' | '~'; operand: Expr }
  | { kind: 'increment'; line: number; op: '++' | '--'; prefix: boolean; target: Expr }
  | { kind: 'binary'; line: number; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'logical'; line: number; op: '&&' | '||'; left: Expr; right: Expr }
  | { kind: 'coalesce'; line: number; left: Expr; right: Expr }
  | { kind: 'conditional'; line: number; test: Expr; then: Expr; otherwise: Expr }
  | { kind: 'assign'; line: number; op: AssignOp; target: Expr; value: Expr }
  | { kind: 'cast'; line: number; type: TypeNode; operand: Expr }
  | { kind: 'instanceof'; line: number; operand: Expr; type: TypeNode }
  | { kind: 'typeLiteral'; line: number; type: TypeNode | null }
  /** Static SOQL: text with each `:expr` replaced by `:__bindN`, and the bound expressions. */
  | { kind: 'soql'; line: number; text: string; binds: Expr[]; isCount: boolean }
  | { kind: 'this'; line: number }
  | { kind: 'super'; line: number };

export interface CatchClause {
  readonly type: TypeNode;
  readonly name: string;
  readonly body: Stmt;
}

/** One `when` of a switch: literal values, `when else`, or `when Type var`. */
export type WhenLabel =
  | { kind: 'values'; values: (Value | { enumName: string[] })[] }
  | { kind: 'else' }
  | { kind: 'type'; type: TypeNode; name: string };

export type DmlOp = 'insert' | 'update' | 'upsert' | 'delete' | 'undelete' | 'merge';

export type Stmt =
  | { kind: 'block'; line: number; body: Stmt[] }
  | { kind: 'local'; line: number; type: TypeNode; names: { name: string; init: Expr | null }[] }
  | { kind: 'expr'; line: number; expr: Expr }
  | { kind: 'if'; line: number; test: Expr; then: Stmt; otherwise: Stmt | null }
  | { kind: 'while'; line: number; test: Expr; body: Stmt }
  | { kind: 'doWhile'; line: number; test: Expr; body: Stmt }
  | {
      kind: 'for';
      line: number;
      init: Stmt | Expr[] | null;
      test: Expr | null;
      update: Expr[];
      body: Stmt;
    }
  | { kind: 'forEach'; line: number; type: TypeNode; name: string; iterable: Expr; body: Stmt }
  | { kind: 'return'; line: number; value: Expr | null }
  | { kind: 'break'; line: number }
  | { kind: 'continue'; line: number }
  | { kind: 'throw'; line: number; value: Expr }
  | {
      kind: 'try';
      line: number;
      body: Stmt;
      catches: CatchClause[];
      finally: Stmt | null;
    }
  | {
      kind: 'switch';
      line: number;
      subject: Expr;
      whens: { label: WhenLabel; body: Stmt; line: number }[];
    }
  | {
      kind: 'dml';
      line: number;
      op: DmlOp;
      access: 'user' | 'system' | null;
      target: Expr;
      /** upsert's external id field; merge's second operand. */
      externalId: string | null;
      other: Expr | null;
    }
  | { kind: 'runAs'; line: number; args: Expr[]; body: Stmt }
  | { kind: 'empty'; line: number };

export interface Annotation {
  /** Lower-cased: 'istest', 'testsetup', 'testvisible', 'auraenabled'. */
  readonly name: string;
  /** `@IsTest(SeeAllData=true)`: lower-cased names → value text. */
  readonly params: Record<string, string>;
}

export interface ParamDecl {
  readonly type: TypeNode;
  readonly name: string;
}

export interface MethodDecl {
  readonly name: string;
  readonly line: number;
  readonly modifiers: readonly string[];
  readonly annotations: readonly Annotation[];
  readonly params: readonly ParamDecl[];
  /** null for void and constructors. */
  readonly returnType: TypeNode | null;
  /** null for abstract and interface methods. */
  readonly body: Stmt | null;
  readonly isConstructor: boolean;
}

export interface FieldDecl {
  readonly name: string;
  readonly line: number;
  readonly type: TypeNode;
  readonly modifiers: readonly string[];
  readonly init: Expr | null;
}

export interface PropertyDecl {
  readonly name: string;
  readonly line: number;
  readonly type: TypeNode;
  readonly modifiers: readonly string[];
  /** Accessor body; null for an automatic accessor (`get;`); undefined when absent. */
  readonly getter: Stmt | null | undefined;
  readonly setter: Stmt | null | undefined;
}

/** Static and instance initialisation runs field initialisers and blocks in source order. */
export type InitItem = { kind: 'field'; field: FieldDecl } | { kind: 'block'; body: Stmt };

export interface ClassDecl {
  readonly kind: 'class' | 'interface' | 'enum';
  readonly name: string;
  readonly line: number;
  readonly modifiers: readonly string[];
  readonly annotations: readonly Annotation[];
  readonly superclass: TypeNode | null;
  /** implements (classes) or extends (interfaces). */
  readonly interfaces: readonly TypeNode[];
  readonly fields: readonly FieldDecl[];
  readonly properties: readonly PropertyDecl[];
  readonly methods: readonly MethodDecl[];
  readonly constructors: readonly MethodDecl[];
  readonly staticInit: readonly InitItem[];
  readonly instanceInit: readonly InitItem[];
  readonly inner: readonly ClassDecl[];
  readonly enumConstants: readonly string[];
}
