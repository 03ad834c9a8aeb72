// Node ESM resolve hook: lets Node load the engine's extensionless relative
// imports (`./jsonLogic`), the form Lightning Web Components use, as the compiled
// `.js` file beside them.
const EXTENSION = /\.(?:[cm]?js|json|node)$/;

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith('./') || specifier.startsWith('../');
  if (relative && !EXTENSION.test(specifier)) {
    // The compiled file first: a failed resolution costs an error object with hints, and the
    // project's own imports are nearly all of this kind.
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  return nextResolve(specifier, context);
}
