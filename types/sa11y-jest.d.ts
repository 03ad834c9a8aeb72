// `toBeAccessible()`, registered for every test in jest.setup.js by @sa11y/jest.
declare namespace jest {
  interface Matchers<R> {
    toBeAccessible(config?: Record<string, unknown>): Promise<R>;
  }
}
