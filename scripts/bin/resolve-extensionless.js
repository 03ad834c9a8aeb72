// Node ESM resolve hook: lets Node load the engine's extensionless relative
// imports (`./jsonLogic`), the form Lightning Web Components use, by trying
// the compiled `.js` file when the bare specifier is not found.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && relative && !/\.[cm]?js$/.test(specifier)) {
      return nextResolve(`${specifier}.js`, context);
    }
    throw error;
  }
}
