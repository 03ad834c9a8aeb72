import { add, divide, mod, multiply, subtract } from '../arithmetic';
import { ApexDecimal, ApexDouble, toApexString, type Value } from '../values';
import { apexErrorOf, call, field, stat } from './nativeCalls';

const d = (text: string) => ApexDecimal.parse(text) as ApexDecimal;
const print = (v: Value) => toApexString(v);

describe('arithmetic', () => {
  test('NUM-02 Integer arithmetic wraps at 32 bits', () => {
    expect(add(2147483647, 1)).toBe(-2147483648);
    expect(multiply(365 * 24 * 60 * 60, 1000)).toBe(1471228928);
  });
  test('NUM-01 Long arithmetic wraps at 64 bits', () => {
    expect(add(9223372036854775807n, 1)).toBe(-9223372036854775808n);
  });
  test('NUM-04 the result takes the higher operand type', () => {
    expect(typeof add(1, 2n)).toBe('bigint');
    expect(add(1, d('1.5'))).toBeInstanceOf(ApexDecimal);
    expect(divide(1, new ApexDouble(4))).toEqual(new ApexDouble(0.25));
    expect(add(new ApexDouble(1), d('1.5'))).toBeInstanceOf(ApexDecimal);
  });
  test('NUM-05 Integer and Long division truncate toward zero', () => {
    expect(divide(7, 2)).toBe(3);
    expect(divide(-7, 2)).toBe(-3);
    expect(divide(-7n, 2n)).toBe(-3n);
    expect(print(divide(d('7.0'), 2))).toBe('3.5');
  });
  test('NUM-07/NUM-08 division by zero throws MathException', () => {
    expect(apexErrorOf(() => divide(5, 0))).toBe('System.MathException: Divide by 0');
    expect(apexErrorOf(() => divide(5n, 0))).toBe('System.MathException: Divide by 0');
    expect(apexErrorOf(() => divide(d('1.0'), 0))).toBe('System.MathException: Divide by 0');
    expect(apexErrorOf(() => divide(new ApexDouble(1), new ApexDouble(0)))).toBe(
      'System.MathException: Divide by 0',
    );
  });
  test('NUM-09 Decimal sums keep the larger scale', () => {
    expect(print(add(d('1.10'), 1))).toBe('2.10');
    expect(print(add(d('1.0'), d('1.00')))).toBe('2.00');
    expect(print(subtract(d('1.00'), d('0.5')))).toBe('0.50');
  });
  test('NUM-10 Decimal products add scales; quotients are exact or 33 significant digits', () => {
    expect(print(multiply(d('1.5'), d('1.25')))).toBe('1.875');
    expect(print(divide(d('1.0'), d('4.0')))).toBe('0.25');
    expect(print(divide(d('1.0'), 3))).toBe('0.' + '3'.repeat(33));
    expect(print(divide(d('2.0'), 3))).toBe('0.' + '6'.repeat(32) + '7');
  });
  test('NUM-06 Math.mod takes the sign of the dividend', () => {
    expect(mod(10, 3)).toBe(1);
    expect(mod(-7, 3)).toBe(-1);
    expect(mod(7, -3)).toBe(1);
    expect(stat('Math', 'mod', [-7n, 3n])).toBe(-1n);
    expect(apexErrorOf(() => mod(1, 0))).toBe('System.MathException: Divide by 0');
  });
});

describe('Integer, Long, Double, Decimal, Boolean', () => {
  test('NUM-14 valueOf rejects text that is not a number of that type', () => {
    expect(stat('Integer', 'valueOf', ['42'])).toBe(42);
    expect(apexErrorOf(() => stat('Integer', 'valueOf', ['abc']))).toBe(
      'System.TypeException: Invalid integer: abc',
    );
    expect(apexErrorOf(() => stat('Integer', 'valueOf', ['1.5']))).toBe(
      'System.TypeException: Invalid integer: 1.5',
    );
    expect(apexErrorOf(() => stat('Integer', 'valueOf', [' 1']))).toBe(
      'System.TypeException: Invalid integer:  1',
    );
    expect(apexErrorOf(() => stat('Integer', 'valueOf', ['2147483648']))).toBe(
      'System.TypeException: Invalid integer: 2147483648',
    );
    expect(stat('Long', 'valueOf', ['2147483648'])).toBe(2147483648n);
    expect(apexErrorOf(() => stat('Long', 'valueOf', ['x']))).toBe(
      'System.TypeException: Invalid long: x',
    );
    expect(apexErrorOf(() => stat('Decimal', 'valueOf', ['x']))).toBe(
      'System.TypeException: Invalid decimal: x',
    );
    expect(apexErrorOf(() => stat('Double', 'valueOf', ['x']))).toBe(
      'System.TypeException: Invalid double: x',
    );
  });
  test('NUM-15 Integer.valueOf(null) is null and a Decimal is truncated', () => {
    expect(stat('Integer', 'valueOf', [null])).toBeNull();
    expect(stat('Integer', 'valueOf', [d('3.9')])).toBe(3);
  });
  test('NUM-11 Decimal.valueOf keeps the text scale; from a Double through its Java text', () => {
    expect(print(stat('Decimal', 'valueOf', ['1.50']))).toBe('1.50');
    expect(print(stat('Decimal', 'valueOf', [new ApexDouble(1)]))).toBe('1.0');
    expect(print(stat('Decimal', 'valueOf', [new ApexDouble(0.1)]))).toBe('0.1');
    expect(print(stat('Decimal', 'valueOf', [5]))).toBe('5');
  });
  test('NUM-11 setScale rounds half-even by default, or by the given mode', () => {
    expect(print(call('Decimal', 'setScale', d('2.345'), [2]))).toBe('2.34');
    expect(print(call('Decimal', 'setScale', d('2.355'), [2]))).toBe('2.36');
    expect(
      print(call('Decimal', 'setScale', d('2.345'), [2, field('RoundingMode', 'HALF_UP')])),
    ).toBe('2.35');
    expect(print(call('Decimal', 'setScale', d('2.3'), [3]))).toBe('2.300');
  });
  test('NUM-10 Decimal.divide(divisor, scale)', () => {
    expect(print(call('Decimal', 'divide', d('19.23'), [100, 3]))).toBe('0.192');
    expect(print(call('Decimal', 'divide', d('5'), [3, 30]))).toBe('1.' + '6'.repeat(29) + '7');
  });
  test('NUM-12 intValue and longValue truncate toward zero', () => {
    expect(call('Decimal', 'intValue', d('3.9'))).toBe(3);
    expect(call('Decimal', 'intValue', d('-3.9'))).toBe(-3);
    expect(call('Double', 'intValue', new ApexDouble(-3.9))).toBe(-3);
    expect(call('Double', 'longValue', new ApexDouble(9007199254740991))).toBe(9007199254740991n);
  });
  test('Decimal stripTrailingZeros and toPlainString (STR-18)', () => {
    const stripped = call('Decimal', 'stripTrailingZeros', d('100.500'));
    expect(print(stripped)).toBe('100.5');
    expect(print(call('Decimal', 'stripTrailingZeros', d('1000')))).toBe('1E+3');
    expect(call('Decimal', 'toPlainString', call('Decimal', 'stripTrailingZeros', d('1000')))).toBe(
      '1000',
    );
    expect(call('Decimal', 'doubleValue', d('2.5'))).toEqual(new ApexDouble(2.5));
  });
  test('NUM-16 Boolean.valueOf is case-insensitive, anything else is false', () => {
    expect(stat('Boolean', 'valueOf', ['TRUE'])).toBe(true);
    expect(stat('Boolean', 'valueOf', ['yes'])).toBe(false);
    expect(stat('Boolean', 'valueOf', [null])).toBe(false);
  });
});

describe('Math', () => {
  test('NUM-13 round: half-even for Decimal, half-up for Double', () => {
    expect(stat('Math', 'round', [d('2.5')])).toBe(2);
    expect(stat('Math', 'round', [d('3.5')])).toBe(4);
    expect(stat('Math', 'round', [new ApexDouble(2.5)])).toBe(3);
    expect(stat('Math', 'round', [new ApexDouble(-2.5)])).toBe(-2);
    expect(stat('Math', 'roundToLong', [d('2.5')])).toBe(2n);
  });
  test('NUM-13 floor/ceil keep Decimal as Decimal and Double as Double', () => {
    expect(print(stat('Math', 'floor', [d('-1.5')]))).toBe('-2');
    expect(stat('Math', 'floor', [new ApexDouble(2.7)])).toEqual(new ApexDouble(2));
    expect(stat('Math', 'ceil', [new ApexDouble(2.1)])).toEqual(new ApexDouble(3));
  });
  test('NUM-13 abs/min/max return the argument type', () => {
    expect(stat('Math', 'abs', [-3])).toBe(3);
    expect(stat('Math', 'abs', [new ApexDouble(-2.5)])).toEqual(new ApexDouble(2.5));
    expect(stat('Math', 'min', [3, 2])).toBe(2);
    expect(stat('Math', 'max', [3n, 5n])).toBe(5n);
    expect(stat('Math', 'max', [new ApexDouble(1), new ApexDouble(-1)])).toEqual(new ApexDouble(1));
  });
});
