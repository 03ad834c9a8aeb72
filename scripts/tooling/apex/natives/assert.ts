// The Assert class and System.assert / assertEquals / assertNotEquals (Apex Reference "Assert
// Class", "System Class"). A failure is a System.AssertException, which Apex code cannot catch
// (SEMANTICS.md EXC-10; the interpreter enforces that). Equality is equals() semantics: Strings
// compare case-sensitively (STR-08). Messages follow the platform's form, e.g.
// "Assertion Failed: my message: Expected: 1, Actual: 2" (seen in published test output, e.g.
// trailheadapps/lwc-recipes#310 and fflib-apex-common#14); the wording for isTrue/isNull/fail
// without a message is not confirmed.
import { registerNative, type NativeContext, type NativeMethod } from './registry';
import { required } from './support';
import { ApexError, ApexTypeValue, strictValueEquals, toApexString, type Value } from '../values';

const failure = (detail: string, message: Value | undefined): ApexError => {
  const custom = message === undefined || message === null ? '' : toApexString(message);
  const parts = ['Assertion Failed', custom, detail].filter((p) => p !== '');
  return new ApexError('System.AssertException', parts.join(': '));
};

const expectedActual = (expected: Value, actual: Value) =>
  `Expected: ${toApexString(expected)}, Actual: ${toApexString(actual)}`;

const areEqual: NativeMethod = (_ctx, _self, [expected, actual, message]) => {
  if (!strictValueEquals(expected, actual))
    throw failure(expectedActual(expected, actual), message);
  return null;
};

const areNotEqual: NativeMethod = (_ctx, _self, [notExpected, actual, message]) => {
  if (strictValueEquals(notExpected, actual)) {
    throw failure(`Same value: ${toApexString(actual)}`, message);
  }
  return null;
};

const isTrue: NativeMethod = (_ctx, _self, [condition, message]) => {
  // A null condition fails like false does.
  if (condition !== true) throw failure('', message);
  return null;
};

function instanceOf(ctx: NativeContext, value: Value, type: Value): boolean {
  const t = required(type);
  if (!(t instanceof ApexTypeValue)) throw new Error('expected a System.Type');
  return value !== null && ctx.interop.isInstanceOf(value, t.type);
}

registerNative({
  name: 'System.Assert',
  statics: {
    areequal: areEqual,
    arenotequal: areNotEqual,
    istrue: isTrue,
    isfalse: (_ctx, _self, [condition, message]) => {
      if (condition !== false) throw failure('', message);
      return null;
    },
    isnull: (_ctx, _self, [value, message]) => {
      if (value !== null) throw failure(expectedActual(null, value), message);
      return null;
    },
    isnotnull: (_ctx, _self, [value, message]) => {
      if (value === null) throw failure('', message);
      return null;
    },
    fail: (_ctx, _self, [message]) => {
      throw failure('', message);
    },
    isinstanceoftype: (ctx, _self, [value, type, message]) => {
      if (!instanceOf(ctx, value, type)) {
        throw failure(`Expected instance of ${toApexString(type)}`, message);
      }
      return null;
    },
    isnotinstanceoftype: (ctx, _self, [value, type, message]) => {
      if (instanceOf(ctx, value, type)) {
        throw failure(`Unexpected instance of ${toApexString(type)}`, message);
      }
      return null;
    },
  },
});

// System.assert* live on the System class, which other modules extend too (registries merge).
registerNative({
  name: 'System',
  statics: {
    assert: isTrue,
    assertequals: areEqual,
    assertnotequals: areNotEqual,
  },
});
