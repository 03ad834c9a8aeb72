// Builds a call graph over the Apex classes of a project (apex-parser syntax trees, no types from
// an org) and counts the SOQL statements reachable from a method. Used by apex-soql-budget.
//
// What counts as a SOQL statement: a static query [SELECT ...] or a Database.query-style call
// (query, queryWithBinds, countQuery, countQueryWithBinds, getQueryLocator*), as in apex-loops.
//
// How calls are resolved (enough for this code base, documented limits):
//   - `Name.m()` where Name is a class → that class's m (static call);
//   - `x.m()` where x is a parameter, local variable or field (of the class or an enclosing class)
//     → the declared type's m; `Class.field.m()` → the static field's type;
//   - `m()` / `this.m()` → the current class, its superclasses, then enclosing classes;
//   - `new T(...)` → T's constructors; `new T(...).m()` → T's m;
//   - an instance call also reaches overrides in non-test subclasses (the largest count wins);
//     overloads with the same name are merged the same way.
//   Calls that cannot be resolved (system classes, method results, collections) are ignored, so a
//   query hidden behind them would not be counted: keep queries in selectors called through
//   declared variables. Test classes (@IsTest) are left out: their mocks never run in production.
//
// total(method) = own SOQL statements + Σ over its call sites of total(callee). Without loops
// around such calls (reported separately) this is an upper bound of the queries one call runs.
import { readFileSync } from 'node:fs';
import {
  ApexErrorListener,
  ApexParserFactory,
  CastExpressionContext,
  ClassDeclarationContext,
  ConstructorDeclarationContext,
  DoWhileStatementContext,
  DotExpressionContext,
  ForStatementContext,
  IdPrimaryContext,
  MemberDeclarationContext,
  MethodCallExpressionContext,
  MethodDeclarationContext,
  NewExpressionContext,
  PrimaryExpressionContext,
  SoqlLiteralContext,
  SubExpressionContext,
  ThisPrimaryContext,
  WhileStatementContext,
} from '@apexdevtools/apex-parser';
import { declaredVariables, hasIsTestAnnotation } from './apex-ast.js';

const QUERY_METHODS = new Set(
  [
    'query',
    'queryWithBinds',
    'countQuery',
    'countQueryWithBinds',
    'getQueryLocator',
    'getQueryLocatorWithBinds',
  ].map((m) => m.toLowerCase()),
);
const CONSTRUCTOR = '<init>';

class SilentListener extends ApexErrorListener {
  count = 0;
  apexSyntaxError() {
    this.count += 1;
  }
}

/** Parses the files into class models. Unparsable files are returned in `skipped`. */
export function buildProgram(files) {
  const classes = new Map(); // lower-case qualified name → class model
  const skipped = [];
  for (const file of files) {
    if (!file.endsWith('.cls')) continue;
    const listener = new SilentListener();
    const { parser } = ApexParserFactory.createLexerAndParser(readFileSync(file, 'utf8'), listener);
    const tree = parser.compilationUnit();
    if (listener.count > 0) {
      skipped.push(file);
      continue;
    }
    collectClasses(tree, null, false, file, classes);
  }
  return { classes, skipped };
}

function collectClasses(node, outer, outerIsTest, file, classes) {
  if (!node?.children) return;
  for (const child of node.children) {
    if (child instanceof ClassDeclarationContext) {
      const name = child.id().getText();
      const qualified = outer ? `${outer.qualified}.${name}` : name;
      const model = {
        name,
        qualified,
        key: qualified.toLowerCase(),
        outer: outer?.key ?? null,
        superName: child.EXTENDS() ? child.typeRef().getText().toLowerCase() : null,
        isTest: outerIsTest || hasIsTestAnnotation(child),
        file,
        fields: new Map(),
        methods: new Map(),
      };
      classes.set(model.key, model);
      for (const declaration of child.classBody().classBodyDeclaration_list()) {
        const member = declaration.memberDeclaration();
        if (!member) continue;
        const field = member.fieldDeclaration();
        if (field) {
          for (const v of field.variableDeclarators().variableDeclarator_list()) {
            model.fields.set(
              v.id().getText().toLowerCase(),
              field.typeRef().getText().toLowerCase(),
            );
          }
        }
        const method = member.methodDeclaration();
        if (method) addMethod(model, method.id().getText(), method);
        const constructor = member.constructorDeclaration();
        if (constructor) addMethod(model, CONSTRUCTOR, constructor);
        if (member.classDeclaration()) {
          collectClasses(member, model, model.isTest, file, classes);
        }
      }
    } else if (!(child instanceof MemberDeclarationContext)) {
      collectClasses(child, outer, outerIsTest, file, classes);
    }
  }
}

function addMethod(model, name, node) {
  const key = name.toLowerCase();
  if (!model.methods.has(key)) model.methods.set(key, []);
  model.methods.get(key).push({ name, node, owner: model, line: node.start.line, facts: null });
}

/** Call graph queries over a built program. */
export class CallGraph {
  constructor(program) {
    this.classes = new Map([...program.classes].filter(([, c]) => !c.isTest));
    this.totals = new Map();
  }

  /** Finds "Class.method" (qualified class name, case-insensitive): the list of overloads. */
  methodsNamed(qualifiedMethod) {
    const dot = qualifiedMethod.lastIndexOf('.');
    const cls = this.classes.get(qualifiedMethod.slice(0, dot).toLowerCase());
    return cls?.methods.get(qualifiedMethod.slice(dot + 1).toLowerCase()) ?? [];
  }

  /** Own SOQL statements and call sites of one method (computed once). */
  factsOf(method) {
    if (method.facts) return method.facts;
    const facts = { soql: [], calls: [] };
    const vars = declaredVariables(method.node);
    const visit = (node, loop) => {
      if (!node?.children) return;
      if (node instanceof ClassDeclarationContext) return;
      if (node instanceof ForStatementContext) {
        const control = node.forControl();
        const enhanced = control?.enhancedForControl();
        const inLoop = `for loop at line ${node.start.line}`;
        if (enhanced) visit(enhanced.expression(), loop);
        else if (control) {
          visit(control.forInit(), loop);
          visit(control.expression(), inLoop);
          visit(control.forUpdate(), inLoop);
        }
        visit(node.statement(), inLoop);
        return;
      }
      if (node instanceof WhileStatementContext || node instanceof DoWhileStatementContext) {
        const kind = node instanceof WhileStatementContext ? 'while' : 'do-while';
        for (const child of node.children) visit(child, `${kind} loop at line ${node.start.line}`);
        return;
      }
      if (node instanceof SoqlLiteralContext) {
        facts.soql.push({ line: node.start.line, text: '[SELECT ...]', node });
      } else if (node instanceof DotExpressionContext && node.dotMethodCall()) {
        const name = node.dotMethodCall().anyId().getText();
        const receiver = node.expression();
        const receiverText = receiver
          .getText()
          .toLowerCase()
          .replace(/^system\./, '');
        if (receiverText === 'database' && QUERY_METHODS.has(name.toLowerCase())) {
          facts.soql.push({ line: node.start.line, text: `Database.${name}()`, node });
        } else {
          const target = this.typeOf(receiver, method.owner, vars);
          if (target) {
            facts.calls.push({
              line: node.start.line,
              text: `${receiver.getText()}.${name}()`,
              targets: this.resolve(target.cls, name, !target.isStatic),
              loop,
            });
          }
        }
      } else if (node instanceof MethodCallExpressionContext) {
        const call = node.methodCall();
        if (call.id()) {
          const name = call.id().getText();
          facts.calls.push({
            line: node.start.line,
            text: `${name}()`,
            targets: this.resolveUnqualified(method.owner, name),
            loop,
          });
        }
      } else if (node instanceof NewExpressionContext) {
        const cls = this.classNamed(node.creator().createdName().getText(), method.owner);
        if (cls) {
          facts.calls.push({
            line: node.start.line,
            text: `new ${cls.qualified}()`,
            targets: cls.methods.get(CONSTRUCTOR) ?? [],
            loop,
          });
        }
      }
      for (const child of node.children) visit(child, loop);
    };
    const body = method.node.block?.();
    visit(body, null);
    method.facts = facts;
    return facts;
  }

  /** SOQL statements reachable from the method: own + callees (memoised; cycles count once). */
  total(method, active = new Set()) {
    if (this.totals.has(method)) return this.totals.get(method);
    if (active.has(method)) return 0;
    active.add(method);
    const facts = this.factsOf(method);
    let sum = facts.soql.length;
    for (const call of facts.calls) sum += this.callTotal(call, active);
    active.delete(method);
    this.totals.set(method, sum);
    return sum;
  }

  callTotal(call, active = new Set()) {
    return Math.max(0, ...call.targets.map((t) => this.total(t, active)));
  }

  /** Methods reachable from `roots`, each once, in discovery order. */
  reachable(roots) {
    const seen = new Set();
    const order = [];
    const walk = (m) => {
      if (seen.has(m)) return;
      seen.add(m);
      order.push(m);
      for (const call of this.factsOf(m).calls) call.targets.forEach(walk);
    };
    roots.forEach(walk);
    return order;
  }

  // ── resolution ──────────────────────────────────────────────────────────────────────────────

  classNamed(typeText, from) {
    const name = typeText.toLowerCase().replace(/\s+/g, '');
    if (name.includes('<') || name.endsWith('[]')) return null;
    for (let scope = from; scope; scope = scope.outer ? this.classes.get(scope.outer) : null) {
      const inner = this.classes.get(`${scope.key}.${name}`);
      if (inner) return inner;
    }
    return this.classes.get(name) ?? null;
  }

  superOf(cls) {
    return cls.superName ? this.classNamed(cls.superName, cls) : null;
  }

  fieldType(cls, name) {
    for (let scope = cls; scope; scope = scope.outer ? this.classes.get(scope.outer) : null) {
      for (let c = scope; c; c = this.superOf(c)) {
        if (c.fields.has(name)) return { type: c.fields.get(name), scope: c };
      }
    }
    return null;
  }

  /** The class an expression's value belongs to: { cls, isStatic } or null. */
  typeOf(expr, owner, vars) {
    if (expr instanceof SubExpressionContext) return this.typeOf(expr.expression(), owner, vars);
    if (expr instanceof CastExpressionContext) {
      const cls = this.classNamed(expr.typeRef().getText(), owner);
      return cls ? { cls, isStatic: false } : null;
    }
    if (expr instanceof NewExpressionContext) {
      const cls = this.classNamed(expr.creator().createdName().getText(), owner);
      return cls ? { cls, isStatic: false } : null;
    }
    if (expr instanceof PrimaryExpressionContext) {
      const primary = expr.primary();
      if (primary instanceof ThisPrimaryContext) return { cls: owner, isStatic: false };
      if (primary instanceof IdPrimaryContext) {
        const name = primary.id().getText().toLowerCase();
        const declared = vars.get(name) ?? this.fieldType(owner, name);
        if (declared) {
          const type = typeof declared === 'string' ? declared : declared.type;
          const from = typeof declared === 'string' ? owner : declared.scope;
          const cls = this.classNamed(type, from);
          return cls ? { cls, isStatic: false } : null;
        }
        const cls = this.classNamed(name, owner);
        return cls ? { cls, isStatic: true } : null;
      }
      return null;
    }
    if (expr instanceof DotExpressionContext && !expr.dotMethodCall()) {
      const left = this.typeOf(expr.expression(), owner, vars);
      if (!left) return null;
      const name = expr.anyId().getText().toLowerCase();
      if (left.isStatic) {
        const inner = this.classes.get(`${left.cls.key}.${name}`);
        if (inner) return { cls: inner, isStatic: true };
      }
      const field = this.fieldType(left.cls, name);
      if (!field) return null;
      const cls = this.classNamed(field.type, field.scope);
      return cls ? { cls, isStatic: false } : null;
    }
    return null;
  }

  /** Methods `name` of cls (or the nearest superclass declaring it), plus overrides below cls. */
  resolve(cls, name, includeOverrides) {
    const key = name.toLowerCase();
    const found = [];
    for (let c = cls; c; c = this.superOf(c)) {
      if (c.methods.has(key)) {
        found.push(...c.methods.get(key));
        break;
      }
    }
    if (includeOverrides) {
      for (const other of this.classes.values()) {
        if (other !== cls && this.extendsClass(other, cls) && other.methods.has(key)) {
          found.push(...other.methods.get(key));
        }
      }
    }
    return found;
  }

  resolveUnqualified(owner, name) {
    for (let scope = owner; scope; scope = scope.outer ? this.classes.get(scope.outer) : null) {
      const found = this.resolve(scope, name, true);
      if (found.length) return found;
    }
    return [];
  }

  extendsClass(cls, ancestor) {
    for (let c = this.superOf(cls); c; c = this.superOf(c)) if (c === ancestor) return true;
    return false;
  }
}

export const isMethodNode = (n) =>
  n instanceof MethodDeclarationContext || n instanceof ConstructorDeclarationContext;
