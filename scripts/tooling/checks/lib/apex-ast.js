// Small questions about an Apex syntax tree (apex-parser) that more than one check asks.
import {
  ClassDeclarationContext,
  EnhancedForControlContext,
  FieldDeclarationContext,
  FormalParameterContext,
  LocalVariableDeclarationContext,
  MemberDeclarationContext,
  TypeDeclarationContext,
} from '@apexdevtools/apex-parser';

/** True when the class (top-level or inner) carries @IsTest. */
export function hasIsTestAnnotation(classCtx) {
  // Top level: TypeDeclaration(modifiers, classDeclaration). Inner: ClassBodyDeclaration(modifiers,
  // MemberDeclaration(classDeclaration)).
  let holder = classCtx.parentCtx;
  if (holder instanceof MemberDeclarationContext) holder = holder.parentCtx;
  if (!(holder instanceof TypeDeclarationContext) && !holder?.modifier_list) return false;
  return holder
    .modifier_list()
    .some((m) => m.annotation()?.id().getText().toLowerCase() === 'istest' || m.TESTMETHOD?.());
}

/**
 * Parameters, local variables, fields and enhanced-for variables declared anywhere under `node`
 * (not inside inner classes, which have their own scope): lower-case name → lower-case type text.
 */
export function declaredVariables(node) {
  const vars = new Map();
  const visit = (n) => {
    if (!n?.children) return;
    if (n instanceof FormalParameterContext || n instanceof EnhancedForControlContext) {
      vars.set(n.id().getText().toLowerCase(), n.typeRef().getText().toLowerCase());
    } else if (
      n instanceof LocalVariableDeclarationContext ||
      n instanceof FieldDeclarationContext
    ) {
      for (const v of n.variableDeclarators().variableDeclarator_list()) {
        vars.set(v.id().getText().toLowerCase(), n.typeRef().getText().toLowerCase());
      }
    }
    if (n instanceof ClassDeclarationContext) return;
    n.children.forEach(visit);
  };
  node.children?.forEach(visit);
  return vars;
}
