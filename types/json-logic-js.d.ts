// Minimal types for json-logic-js, the JSON Logic reference implementation the differential tests compare against.
declare module 'json-logic-js' {
  const jsonLogic: {
    apply(logic: unknown, data?: unknown): unknown;
    add_operation(name: string, fn: (...args: any[]) => unknown): void;
  };
  export default jsonLogic;
}
