// Ambient types for the modules the Lightning platform provides at run time.
// They exist only in an org (or as jest stubs), so TypeScript learns their shape here.

declare module '@salesforce/apex/*' {
  const apexMethod: (params?: Record<string, unknown>) => Promise<unknown>;
  export default apexMethod;
}

declare module '@salesforce/customPermission/*' {
  const hasPermission: boolean | undefined;
  export default hasPermission;
}

declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}

declare module '@salesforce/resourceUrl/*' {
  const url: string;
  export default url;
}

declare module '@salesforce/user/Id' {
  const userId: string;
  export default userId;
}

declare module 'lightning/platformShowToastEvent' {
  export class ShowToastEvent extends CustomEvent<unknown> {
    constructor(init: {
      title: string;
      message?: string;
      variant?: 'info' | 'success' | 'warning' | 'error';
      mode?: 'dismissible' | 'pester' | 'sticky';
    });
  }
}

declare module 'lightning/navigation' {
  export const NavigationMixin: {
    <T extends new (...args: unknown[]) => object>(base: T): T;
    readonly Navigate: unique symbol;
    readonly GenerateUrl: unique symbol;
  };
}

declare module 'lightning/analyticsWaveApi' {
  // Wire adapters; their configs and payloads are the CRM Analytics REST API's
  // (e.g. getDataConnectors → { dataConnectors: [...] }, getDataflowJobs → { dataflowJobs: [...] }).
  type WaveAdapter = import('lwc').WireAdapterConstructor<Record<string, unknown>, unknown>;
  export const getDataConnectors: WaveAdapter;
  export const getReplicatedDatasets: WaveAdapter;
  export const getReplicatedFields: WaveAdapter;
  export const getDataflows: WaveAdapter;
  export const getDataflowJobs: WaveAdapter;
  export const getRecipes: WaveAdapter;
  export const getRecipe: WaveAdapter;
}
