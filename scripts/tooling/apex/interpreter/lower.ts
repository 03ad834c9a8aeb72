// Pass 2: apex-parser parse tree → the small AST of ast.ts. Only shapes change here; names are
// resolved later, when a method is first compiled. Static SOQL keeps its source text, with each
// bound expression `:expr` cut out by its character positions and replaced by `:__bindN`.
import {
  AnonymousUnitContext,
  Arth1ExpressionContext,
  Arth2ExpressionContext,
  ArrayExpressionContext,
  AssignExpressionContext,
  BitAndExpressionContext,
  BitExpressionContext,
  BitNotExpressionContext,
  BitOrExpressionContext,
  BlockContext,
  BoundExpressionContext,
  CastExpressionContext,
  ClassDeclarationContext,
  CmpExpressionContext,
  CoalExpressionContext,
  CompilationUnitContext,
  CondExpressionContext,
  DotExpressionContext,
  EnumDeclarationContext,
  EqualityExpressionContext,
  ExpressionContext,
  ExpressionListContext,
  IdPrimaryContext,
  InstanceOfExpressionContext,
  InterfaceDeclarationContext,
  LiteralContext,
  LiteralPrimaryContext,
  LocalVariableDeclarationContext,
  LogAndExpressionContext,
  LogOrExpressionContext,
  MemberDeclarationContext,
  MethodCallExpressionContext,
  ModifierContext,
  NegExpressionContext,
  NewExpressionContext,
  PostOpExpressionContext,
  PreOpExpressionContext,
  PrimaryExpressionContext,
  SoqlPrimaryContext,
  StatementContext,
  SubExpressionContext,
  SuperPrimaryContext,
  ThisPrimaryContext,
  TypeRefContext,
  TypeRefPrimaryContext,
  VoidPrimaryContext,
  WhenLiteralContext,
  type ApexParserRuleContext,
  type FormalParametersContext,
  type SoqlLiteralContext,
} from '@apexdevtools/apex-parser';
import { ApexDecimal, ApexDouble } from '../values';
import type {
  Annotation,
  AssignOp,
  BinaryOp,
  ClassDecl,
  DmlOp,
  Expr,
  FieldDecl,
  InitItem,
  MethodDecl,
  PropertyDecl,
  Stmt,
  TypeNode,
  WhenLabel,
} from './ast';
import { ApexSourceError } from './parse';

type Ctx = ApexParserRuleContext;

class ClassBuilder {
  readonly fields: FieldDecl[] = [];
  readonly properties: PropertyDecl[] = [];
  readonly methods: MethodDecl[] = [];
  readonly constructors: MethodDecl[] = [];
  readonly staticInit: InitItem[] = [];
  readonly instanceInit: InitItem[] = [];
  readonly inner: ClassDecl[] = [];

  build(
    kind: ClassDecl['kind'],
    name: string,
    line: number,
    modifiers: string[],
    annotations: Annotation[],
    superclass: TypeNode | null,
    interfaces: TypeNode[],
    enumConstants: string[] = [],
  ): ClassDecl {
    return {
      kind,
      name,
      line,
      modifiers,
      annotations,
      superclass,
      interfaces,
      fields: this.fields,
      properties: this.properties,
      methods: this.methods,
      constructors: this.constructors,
      staticInit: this.staticInit,
      instanceInit: this.instanceInit,
      inner: this.inner,
      enumConstants,
    };
  }
}

/** Lowers one file; `source` is the text the tree was parsed from (SOQL is cut from it). */
export class Lowerer {
  constructor(
    private readonly source: string,
    private readonly file: string,
  ) {}

  private fail(ctx: Ctx, message: string): never {
    throw new ApexSourceError(this.file, ctx.start.line, message);
  }

  // ── declarations ──────────────────────────────────────────────────────────────────────────

  compilationUnit(unit: CompilationUnitContext): ClassDecl {
    const decl = unit.typeDeclaration();
    const mods = decl.modifier_list();
    if (decl.classDeclaration()) return this.classDecl(decl.classDeclaration(), mods);
    if (decl.interfaceDeclaration()) return this.interfaceDecl(decl.interfaceDeclaration(), mods);
    return this.enumDecl(decl.enumDeclaration(), mods);
  }

  /** Anonymous Apex: a synthetic class whose `run` method holds the top-level statements. */
  anonymous(unit: AnonymousUnitContext, className: string): ClassDecl {
    const builder = new ClassBuilder();
    const statements: Stmt[] = [];
    for (const member of unit.anonymousBlock().anonymousBlockMember_list()) {
      const statement = member.statement();
      if (statement) {
        statements.push(this.statement(statement));
        continue;
      }
      const decl = member.anonymousMemberDeclaration();
      const field = decl.fieldDeclaration();
      if (field) {
        // A top-level declaration is a local variable of the block, run in order.
        statements.push({
          kind: 'local',
          line: field.start.line,
          type: this.typeRef(field.typeRef()),
          names: field
            .variableDeclarators()
            .variableDeclarator_list()
            .map((v) => ({
              name: v.id().getText(),
              init: v.expression() ? this.expression(v.expression()) : null,
            })),
        });
        continue;
      }
      // Methods, classes and properties of an anonymous block are statics of the block.
      const mods = [...this.modifiers(member.modifier_list()), 'static'];
      this.member(builder, decl as unknown as MemberDeclarationContext, mods, []);
    }
    builder.methods.push({
      name: 'run',
      line: 1,
      modifiers: ['static'],
      annotations: [],
      params: [],
      returnType: null,
      body: { kind: 'block', line: 1, body: statements },
      isConstructor: false,
    });
    return builder.build('class', className, 1, [], [], null, []);
  }

  private classDecl(ctx: ClassDeclarationContext, modCtxs: ModifierContext[]): ClassDecl {
    const builder = new ClassBuilder();
    for (const decl of ctx.classBody().classBodyDeclaration_list()) {
      const block = decl.block();
      if (block) {
        const item: InitItem = { kind: 'block', body: this.block(block) };
        (decl.STATIC() ? builder.staticInit : builder.instanceInit).push(item);
        continue;
      }
      const member = decl.memberDeclaration();
      if (!member) continue;
      const mods = decl.modifier_list();
      this.member(builder, member, this.modifiers(mods), this.annotations(mods));
    }
    return builder.build(
      'class',
      ctx.id().getText(),
      ctx.start.line,
      this.modifiers(modCtxs),
      this.annotations(modCtxs),
      ctx.typeRef() ? this.typeRef(ctx.typeRef()) : null,
      ctx.typeList()
        ? ctx
            .typeList()
            .typeRef_list()
            .map((t) => this.typeRef(t))
        : [],
    );
  }

  private interfaceDecl(ctx: InterfaceDeclarationContext, modCtxs: ModifierContext[]): ClassDecl {
    const builder = new ClassBuilder();
    for (const m of ctx.interfaceBody().interfaceMethodDeclaration_list()) {
      builder.methods.push({
        name: m.id().getText(),
        line: m.start.line,
        modifiers: [...this.modifiers(m.modifier_list()), 'abstract'],
        annotations: this.annotations(m.modifier_list()),
        params: this.params(m.formalParameters()),
        returnType: m.typeRef() ? this.typeRef(m.typeRef()) : null,
        body: null,
        isConstructor: false,
      });
    }
    return builder.build(
      'interface',
      ctx.id().getText(),
      ctx.start.line,
      this.modifiers(modCtxs),
      this.annotations(modCtxs),
      null,
      ctx.typeList()
        ? ctx
            .typeList()
            .typeRef_list()
            .map((t) => this.typeRef(t))
        : [],
    );
  }

  private enumDecl(ctx: EnumDeclarationContext, modCtxs: ModifierContext[]): ClassDecl {
    const builder = new ClassBuilder();
    const constants =
      ctx
        .enumConstants()
        ?.id_list()
        .map((id) => id.getText()) ?? [];
    return builder.build(
      'enum',
      ctx.id().getText(),
      ctx.start.line,
      this.modifiers(modCtxs),
      this.annotations(modCtxs),
      null,
      [],
      constants,
    );
  }

  private member(
    builder: ClassBuilder,
    member: MemberDeclarationContext,
    modifiers: string[],
    annotations: Annotation[],
  ): void {
    const isStatic = modifiers.includes('static');
    if (member.methodDeclaration()) {
      const m = member.methodDeclaration();
      builder.methods.push({
        name: m.id().getText(),
        line: m.start.line,
        modifiers,
        annotations,
        params: this.params(m.formalParameters()),
        returnType: m.typeRef() ? this.typeRef(m.typeRef()) : null,
        body: m.block() ? this.block(m.block()) : null,
        isConstructor: false,
      });
    } else if (member.constructorDeclaration?.()) {
      const c = member.constructorDeclaration();
      builder.constructors.push({
        name: c.qualifiedName().getText(),
        line: c.start.line,
        modifiers,
        annotations,
        params: this.params(c.formalParameters()),
        returnType: null,
        body: this.block(c.block()),
        isConstructor: true,
      });
    } else if (member.fieldDeclaration()) {
      const f = member.fieldDeclaration();
      const type = this.typeRef(f.typeRef());
      for (const v of f.variableDeclarators().variableDeclarator_list()) {
        const field: FieldDecl = {
          name: v.id().getText(),
          line: v.start.line,
          type,
          modifiers,
          init: v.expression() ? this.expression(v.expression()) : null,
        };
        builder.fields.push(field);
        (isStatic ? builder.staticInit : builder.instanceInit).push({ kind: 'field', field });
      }
    } else if (member.propertyDeclaration()) {
      const p = member.propertyDeclaration();
      let getter: Stmt | null | undefined;
      let setter: Stmt | null | undefined;
      for (const block of p.propertyBlock_list()) {
        if (block.getter())
          getter = block.getter().block() ? this.block(block.getter().block()) : null;
        if (block.setter())
          setter = block.setter().block() ? this.block(block.setter().block()) : null;
      }
      const property: PropertyDecl = {
        name: p.id().getText(),
        line: p.start.line,
        type: this.typeRef(p.typeRef()),
        modifiers,
        getter,
        setter,
      };
      builder.properties.push(property);
    } else if (member.classDeclaration()) {
      builder.inner.push(this.classDeclWith(member.classDeclaration(), modifiers, annotations));
    } else if (member.interfaceDeclaration()) {
      const decl = this.interfaceDecl(member.interfaceDeclaration(), []);
      builder.inner.push({ ...decl, modifiers, annotations });
    } else if (member.enumDeclaration()) {
      const decl = this.enumDecl(member.enumDeclaration(), []);
      builder.inner.push({ ...decl, modifiers, annotations });
    }
  }

  private classDeclWith(
    ctx: ClassDeclarationContext,
    modifiers: string[],
    annotations: Annotation[],
  ): ClassDecl {
    return { ...this.classDecl(ctx, []), modifiers, annotations };
  }

  private params(ctx: FormalParametersContext): { type: TypeNode; name: string }[] {
    const list = ctx.formalParameterList();
    if (!list) return [];
    return list
      .formalParameter_list()
      .map((p) => ({ type: this.typeRef(p.typeRef()), name: p.id().getText() }));
  }

  private modifiers(mods: ModifierContext[]): string[] {
    return mods.filter((m) => !m.annotation()).map((m) => m.getText().toLowerCase());
  }

  private annotations(mods: ModifierContext[]): Annotation[] {
    return mods
      .filter((m) => m.annotation())
      .map((m) => {
        const a = m.annotation();
        const params: Record<string, string> = {};
        for (const pair of a.elementValuePairs()?.elementValuePair_list() ?? []) {
          params[pair.id().getText().toLowerCase()] = pair.elementValue().getText();
        }
        return { name: a.id().getText().toLowerCase(), params };
      });
  }

  typeRef(ctx: TypeRefContext): TypeNode {
    const names = ctx.typeName_list();
    let args: TypeNode[] = [];
    for (const n of names) {
      const typeArgs = n.typeArguments();
      if (typeArgs)
        args = typeArgs
          .typeList()
          .typeRef_list()
          .map((t) => this.typeRef(t));
    }
    const name = names
      .map((n) => (n.id() ? n.id().getText() : n.LIST() ? 'List' : n.SET() ? 'Set' : 'Map'))
      .join('.');
    const array = (ctx.arraySubscripts().getText().match(/\[/g) ?? []).length;
    return { name, args, array };
  }

  // ── statements ────────────────────────────────────────────────────────────────────────────

  block(ctx: BlockContext): Stmt {
    return {
      kind: 'block',
      line: ctx.start.line,
      body: ctx.statement_list().map((s) => this.statement(s)),
    };
  }

  statement(ctx: StatementContext): Stmt {
    const line = ctx.start.line;
    if (ctx.block()) return this.block(ctx.block());
    if (ctx.localVariableDeclarationStatement()) {
      return this.local(ctx.localVariableDeclarationStatement().localVariableDeclaration());
    }
    if (ctx.expressionStatement()) {
      return { kind: 'expr', line, expr: this.expression(ctx.expressionStatement().expression()) };
    }
    if (ctx.ifStatement()) {
      const s = ctx.ifStatement();
      const [then, otherwise] = s.statement_list();
      return {
        kind: 'if',
        line,
        test: this.expression(s.parExpression().expression()),
        then: this.statement(then),
        otherwise: otherwise ? this.statement(otherwise) : null,
      };
    }
    if (ctx.forStatement()) return this.forStatement(ctx);
    if (ctx.whileStatement()) {
      const s = ctx.whileStatement();
      return {
        kind: 'while',
        line,
        test: this.expression(s.parExpression().expression()),
        body: s.statement() ? this.statement(s.statement()) : { kind: 'empty', line },
      };
    }
    if (ctx.doWhileStatement()) {
      const s = ctx.doWhileStatement();
      return {
        kind: 'doWhile',
        line,
        test: this.expression(s.parExpression().expression()),
        body: this.block(s.block()),
      };
    }
    if (ctx.returnStatement()) {
      const e = ctx.returnStatement().expression();
      return { kind: 'return', line, value: e ? this.expression(e) : null };
    }
    if (ctx.breakStatement()) return { kind: 'break', line };
    if (ctx.continueStatement()) return { kind: 'continue', line };
    if (ctx.throwStatement()) {
      return { kind: 'throw', line, value: this.expression(ctx.throwStatement().expression()) };
    }
    if (ctx.tryStatement()) {
      const s = ctx.tryStatement();
      return {
        kind: 'try',
        line,
        body: this.block(s.block()),
        catches: s.catchClause_list().map((c) => ({
          type: { name: c.qualifiedName().getText(), args: [], array: 0 },
          name: c.id().getText(),
          body: this.block(c.block()),
        })),
        finally: s.finallyBlock() ? this.block(s.finallyBlock().block()) : null,
      };
    }
    if (ctx.switchStatement()) return this.switchStatement(ctx);
    if (ctx.runAsStatement()) {
      const s = ctx.runAsStatement();
      return {
        kind: 'runAs',
        line,
        args: this.expressionList(s.expressionList()),
        body: this.block(s.block()),
      };
    }
    const dml = this.dml(ctx);
    if (dml) return dml;
    return this.fail(ctx, `unsupported statement: ${ctx.getText().slice(0, 40)}`);
  }

  private local(ctx: LocalVariableDeclarationContext): Stmt {
    return {
      kind: 'local',
      line: ctx.start.line,
      type: this.typeRef(ctx.typeRef()),
      names: ctx
        .variableDeclarators()
        .variableDeclarator_list()
        .map((v) => ({
          name: v.id().getText(),
          init: v.expression() ? this.expression(v.expression()) : null,
        })),
    };
  }

  private forStatement(ctx: StatementContext): Stmt {
    const s = ctx.forStatement();
    const line = ctx.start.line;
    const body: Stmt = s.statement() ? this.statement(s.statement()) : { kind: 'empty', line };
    const control = s.forControl();
    const each = control.enhancedForControl();
    if (each) {
      return {
        kind: 'forEach',
        line,
        type: this.typeRef(each.typeRef()),
        name: each.id().getText(),
        iterable: this.expression(each.expression()),
        body,
      };
    }
    const init = control.forInit();
    return {
      kind: 'for',
      line,
      init: !init
        ? null
        : init.localVariableDeclaration()
          ? this.local(init.localVariableDeclaration())
          : this.expressionList(init.expressionList()),
      test: control.expression() ? this.expression(control.expression()) : null,
      update: control.forUpdate() ? this.expressionList(control.forUpdate().expressionList()) : [],
      body,
    };
  }

  private switchStatement(ctx: StatementContext): Stmt {
    const s = ctx.switchStatement();
    return {
      kind: 'switch',
      line: ctx.start.line,
      subject: this.expression(s.expression()),
      whens: s.whenControl_list().map((w) => {
        const v = w.whenValue();
        let label: WhenLabel;
        if (v.ELSE()) label = { kind: 'else' };
        else if (v.typeRef()) {
          label = { kind: 'type', type: this.typeRef(v.typeRef()), name: v.id().getText() };
        } else
          label = { kind: 'values', values: v.whenLiteral_list().map((l) => this.whenLiteral(l)) };
        return { label, body: this.block(w.block()), line: w.start.line };
      }),
    };
  }

  private whenLiteral(ctx: WhenLiteralContext): WhenItem {
    if (ctx.whenLiteral()) return this.whenLiteral(ctx.whenLiteral());
    const negative = ctx.SUB_list().length % 2 === 1;
    if (ctx.IntegerLiteral()) {
      const n = Number(ctx.IntegerLiteral().getText());
      return (negative ? -n : n) | 0;
    }
    if (ctx.LongLiteral()) {
      const n = BigInt(ctx.LongLiteral().getText().slice(0, -1));
      return negative ? -n : n;
    }
    if (ctx.StringLiteral()) return unescapeString(ctx.StringLiteral().getText());
    if (ctx.NULL()) return null;
    return {
      enumName: ctx
        .qualifiedName()
        .id_list()
        .map((id) => id.getText()),
    };
  }

  private dml(ctx: StatementContext): Stmt | null {
    const line = ctx.start.line;
    const forms: [DmlOp, ReturnType<StatementContext['insertStatement']> | null][] = [
      ['insert', ctx.insertStatement()],
      ['update', ctx.updateStatement() as never],
      ['delete', ctx.deleteStatement() as never],
      ['undelete', ctx.undeleteStatement() as never],
    ];
    for (const [op, s] of forms) {
      if (!s) continue;
      return {
        kind: 'dml',
        line,
        op,
        access: accessOf(s.accessLevel()),
        target: this.expression(s.expression()),
        externalId: null,
        other: null,
      };
    }
    if (ctx.upsertStatement()) {
      const s = ctx.upsertStatement();
      return {
        kind: 'dml',
        line,
        op: 'upsert',
        access: accessOf(s.accessLevel()),
        target: this.expression(s.expression()),
        externalId: s.qualifiedName() ? s.qualifiedName().getText() : null,
        other: null,
      };
    }
    if (ctx.mergeStatement()) {
      const s = ctx.mergeStatement();
      return {
        kind: 'dml',
        line,
        op: 'merge',
        access: accessOf(s.accessLevel()),
        target: this.expression(s.expression(0)),
        externalId: null,
        other: this.expression(s.expression(1)),
      };
    }
    return null;
  }

  // ── expressions ───────────────────────────────────────────────────────────────────────────

  expressionList(ctx: ExpressionListContext | null | undefined): Expr[] {
    return ctx ? ctx.expression_list().map((e) => this.expression(e)) : [];
  }

  expression(ctx: ExpressionContext): Expr {
    const line = ctx.start.line;
    if (ctx instanceof PrimaryExpressionContext) return this.primary(ctx);
    if (ctx instanceof DotExpressionContext) {
      const target = this.expression(ctx.expression());
      const safe = !!ctx.QUESTIONDOT();
      const call = ctx.dotMethodCall();
      if (call) {
        return {
          kind: 'call',
          line,
          target,
          name: call.anyId().getText(),
          args: this.expressionList(call.expressionList()),
          safe,
        };
      }
      const name = ctx.anyId().getText();
      if (target.kind === 'name' && !safe)
        return { kind: 'name', line, parts: [...target.parts, name] };
      return { kind: 'field', line, target, name, safe };
    }
    if (ctx instanceof MethodCallExpressionContext) {
      const m = ctx.methodCall();
      const args = this.expressionList(m.expressionList());
      if (m.THIS()) return { kind: 'ctorCall', line, which: 'this', args };
      if (m.SUPER()) return { kind: 'ctorCall', line, which: 'super', args };
      return { kind: 'call', line, target: null, name: m.id().getText(), args, safe: false };
    }
    if (ctx instanceof ArrayExpressionContext) {
      return {
        kind: 'index',
        line,
        target: this.expression(ctx.expression(0)),
        index: this.expression(ctx.expression(1)),
      };
    }
    if (ctx instanceof NewExpressionContext) return this.creator(ctx);
    if (ctx instanceof CastExpressionContext) {
      return {
        kind: 'cast',
        line,
        type: this.typeRef(ctx.typeRef()),
        operand: this.expression(ctx.expression()),
      };
    }
    if (ctx instanceof SubExpressionContext) return this.expression(ctx.expression());
    if (ctx instanceof PostOpExpressionContext) {
      return {
        kind: 'increment',
        line,
        op: ctx.INC() ? '++' : '--',
        prefix: false,
        target: this.expression(ctx.expression()),
      };
    }
    if (ctx instanceof PreOpExpressionContext) {
      const operand = this.expression(ctx.expression());
      if (ctx.INC() || ctx.DEC()) {
        return {
          kind: 'increment',
          line,
          op: ctx.INC() ? '++' : '--',
          prefix: true,
          target: operand,
        };
      }
      return { kind: 'unary', line, op: ctx.SUB() ? '-' : '+', operand };
    }
    if (ctx instanceof NegExpressionContext) {
      return {
        kind: 'unary',
        line,
        op: ctx.BANG() ? '!' : '~',
        operand: this.expression(ctx.expression()),
      };
    }
    if (ctx instanceof InstanceOfExpressionContext) {
      return {
        kind: 'instanceof',
        line,
        operand: this.expression(ctx.expression()),
        type: this.typeRef(ctx.typeRef()),
      };
    }
    if (ctx instanceof CondExpressionContext) {
      return {
        kind: 'conditional',
        line,
        test: this.expression(ctx.expression(0)),
        then: this.expression(ctx.expression(1)),
        otherwise: this.expression(ctx.expression(2)),
      };
    }
    if (ctx instanceof LogAndExpressionContext || ctx instanceof LogOrExpressionContext) {
      return {
        kind: 'logical',
        line,
        op: ctx instanceof LogAndExpressionContext ? '&&' : '||',
        left: this.expression(ctx.expression(0)),
        right: this.expression(ctx.expression(1)),
      };
    }
    if (ctx instanceof CoalExpressionContext) {
      return {
        kind: 'coalesce',
        line,
        left: this.expression(ctx.expression(0)),
        right: this.expression(ctx.expression(1)),
      };
    }
    if (ctx instanceof AssignExpressionContext) {
      const op = ctx.getChild(1).getText() as AssignOp;
      return {
        kind: 'assign',
        line,
        op,
        target: this.expression(ctx.expression(0)),
        value: this.expression(ctx.expression(1)),
      };
    }
    const op = binaryOperator(ctx);
    if (op) {
      const sides = (ctx as Arth1ExpressionContext).expression_list();
      return {
        kind: 'binary',
        line,
        op,
        left: this.expression(sides[0]),
        right: this.expression(sides[1]),
      };
    }
    return this.fail(ctx, `unsupported expression: ${ctx.getText().slice(0, 40)}`);
  }

  private primary(ctx: PrimaryExpressionContext): Expr {
    const p = ctx.primary();
    const line = ctx.start.line;
    if (p instanceof IdPrimaryContext) return { kind: 'name', line, parts: [p.id().getText()] };
    if (p instanceof LiteralPrimaryContext) {
      // An Integer literal past the Integer range does not compile (NUM-03); 2147483648 is let
      // through for -2147483648.
      const int = p.literal().IntegerLiteral();
      if (int && Number(int.getText()) > 2147483648) return this.fail(ctx, 'Illegal integer');
      return { kind: 'literal', line, value: literal(p.literal()) };
    }
    if (p instanceof ThisPrimaryContext) return { kind: 'this', line };
    if (p instanceof SuperPrimaryContext) return { kind: 'super', line };
    if (p instanceof TypeRefPrimaryContext) {
      return { kind: 'typeLiteral', line, type: this.typeRef(p.typeRef()) };
    }
    if (p instanceof VoidPrimaryContext) return { kind: 'typeLiteral', line, type: null };
    if (p instanceof SoqlPrimaryContext) return this.soql(p.soqlLiteral());
    return this.fail(ctx, `not supported by the local runtime: ${p.getText().slice(0, 40)}`);
  }

  private creator(ctx: NewExpressionContext): Expr {
    const line = ctx.start.line;
    const c = ctx.creator();
    const pairs = c.createdName().idCreatedNamePair_list();
    let args: TypeNode[] = [];
    for (const pair of pairs) {
      if (pair.typeList())
        args = pair
          .typeList()
          .typeRef_list()
          .map((t) => this.typeRef(t));
    }
    const type: TypeNode = {
      name: pairs.map((p) => p.anyId().getText()).join('.'),
      args,
      array: 0,
    };
    if (c.classCreatorRest()) {
      return {
        kind: 'new',
        line,
        type,
        args: this.expressionList(c.classCreatorRest().arguments().expressionList()),
      };
    }
    const base = { kind: 'newCollection' as const, line, items: null, size: null, pairs: null };
    if (c.noRest()) return { ...base, type, items: [] };
    if (c.setCreatorRest()) {
      return {
        ...base,
        type,
        items: c
          .setCreatorRest()
          .expression_list()
          .map((e) => this.expression(e)),
      };
    }
    if (c.mapCreatorRest()) {
      return {
        ...base,
        type,
        pairs: c
          .mapCreatorRest()
          .mapCreatorRestPair_list()
          .map((p): [Expr, Expr] => [
            this.expression(p.expression(0)),
            this.expression(p.expression(1)),
          ]),
      };
    }
    const rest = c.arrayCreatorRest();
    const arrayType = { ...type, array: 1 };
    if (rest.expression())
      return { ...base, type: arrayType, size: this.expression(rest.expression()) };
    const init = rest.arrayInitializer();
    return {
      ...base,
      type: arrayType,
      items: init ? init.expression_list().map((e) => this.expression(e)) : [],
    };
  }

  private soql(ctx: SoqlLiteralContext): Expr {
    const query = ctx.query();
    const start = ctx.LBRACK().symbol.stop + 1;
    const end = ctx.RBRACK().symbol.start;
    const bounds: BoundExpressionContext[] = [];
    collect(query, BoundExpressionContext, bounds);
    bounds.sort((a, b) => a.start.start - b.start.start);
    let text = '';
    let at = start;
    const binds: Expr[] = [];
    for (const bound of bounds) {
      text += this.source.slice(at, bound.start.start);
      text += `:__bind${binds.length}`;
      binds.push(this.expression(bound.expression()));
      at = bound.stop!.stop + 1;
    }
    text += this.source.slice(at, end);
    const entries = query.selectList().selectEntry_list();
    const fn = entries.length === 1 ? entries[0].soqlFunction() : null;
    const isCount = !!fn && !!fn.COUNT() && !fn.fieldName();
    return { kind: 'soql', line: ctx.start.line, text: text.trim(), binds, isCount };
  }
}

type WhenItem = import('../values').Value | { enumName: string[] };

function collect<T>(node: Ctx, type: abstract new (...args: never[]) => T, out: T[]): void {
  for (const child of node.children ?? []) {
    if (child instanceof type) out.push(child);
    else if ('children' in child) collect(child as Ctx, type, out);
  }
}

function accessOf(
  ctx: { USER(): unknown; SYSTEM(): unknown } | null | undefined,
): 'user' | 'system' | null {
  if (!ctx) return null;
  return ctx.USER() ? 'user' : 'system';
}

function binaryOperator(ctx: ExpressionContext): BinaryOp | null {
  if (ctx instanceof Arth1ExpressionContext) return ctx.MUL() ? '*' : '/';
  if (ctx instanceof Arth2ExpressionContext) return ctx.ADD() ? '+' : '-';
  if (ctx instanceof CmpExpressionContext) {
    const base = ctx.GT() ? '>' : '<';
    return (ctx.ASSIGN() ? `${base}=` : base) as BinaryOp;
  }
  if (ctx instanceof EqualityExpressionContext) {
    if (ctx.TRIPLEEQUAL()) return '===';
    if (ctx.TRIPLENOTEQUAL()) return '!==';
    if (ctx.EQUAL()) return '==';
    return '!=';
  }
  if (ctx instanceof BitExpressionContext) {
    if (ctx.LT_list().length) return '<<';
    return ctx.GT_list().length === 3 ? '>>>' : '>>';
  }
  if (ctx instanceof BitAndExpressionContext) return '&';
  if (ctx instanceof BitOrExpressionContext) return '|';
  if (ctx instanceof BitNotExpressionContext) return '^';
  return null;
}

function literal(ctx: LiteralContext): import('../values').Value {
  if (ctx.IntegerLiteral()) return Number(ctx.IntegerLiteral().getText()) | 0;
  if (ctx.LongLiteral()) return BigInt.asIntN(64, BigInt(ctx.LongLiteral().getText().slice(0, -1)));
  if (ctx.NumberLiteral()) {
    const text = ctx.NumberLiteral().getText();
    if (/[dD]$/.test(text)) return new ApexDouble(Number(text.slice(0, -1)));
    return ApexDecimal.parse(text)!;
  }
  if (ctx.StringLiteral()) return unescapeString(ctx.StringLiteral().getText());
  if (ctx.MultilineStringLiteral()) return unescapeString(ctx.MultilineStringLiteral().getText());
  if (ctx.BooleanLiteral()) return ctx.BooleanLiteral().getText().toLowerCase() === 'true';
  return null;
}

/** The value of a quoted Apex string literal: \n \t \r \b \f \' \" \\ and \uXXXX. */
export function unescapeString(quoted: string): string {
  const body = quoted.startsWith("'''") ? quoted.slice(3, -3) : quoted.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    switch (e) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return e;
    }
  });
}
