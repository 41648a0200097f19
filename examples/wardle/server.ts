// The sample "wardle" server (kubernetes/sample-apiserver) on the kagg/extension SDK:
// wardle.example.com v1alpha1 (Flunder, Fischer) and v1beta1 (Flunder), with BanFlunder.
import { createExtensionServer, type ExtensionServer, type ExtensionServerOptions, type ResourceDefinition } from '../../src/extension/mod.ts';
import { createBanFlunder } from './ban-flunder.ts';
import { FISCHER_V1ALPHA1 } from './fischer.ts';
import { FLUNDER_CONVERSION, FLUNDER_V1ALPHA1, FLUNDER_V1BETA1, WARDLE_GROUP } from './flunder.ts';

export { WARDLE_GROUP };

export const WARDLE_RESOURCES: readonly ResourceDefinition[] = [FLUNDER_V1ALPHA1, FLUNDER_V1BETA1, FISCHER_V1ALPHA1];

export interface WardleServerOptions extends Omit<ExtensionServerOptions, 'resources' | 'admission' | 'conversions'> {
  /** Flunder names refused besides those listed by Fischers (--banned-flunder). */
  bannedFlunders?: readonly string[];
}

export function createWardleServer(options: WardleServerOptions): Promise<ExtensionServer> {
  const { bannedFlunders, ...rest } = options;
  return createExtensionServer({
    ...rest,
    resources: WARDLE_RESOURCES,
    conversions: [FLUNDER_CONVERSION],
    admission: ({ store, etcdPrefix }) => ({ [`${WARDLE_GROUP}/flunders`]: [createBanFlunder({ store, etcdPrefix, banned: bannedFlunders })] }),
  });
}
