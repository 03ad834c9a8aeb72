// A feature gate that is closed. The preview runs base components on synthetic
// shadow (as Lightning Experience does), where form-associated custom elements
// (attachInternals) are not supported, so the combobox must not use them.
export default { isOpen: () => false };
