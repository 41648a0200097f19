// Builds the authorizer from --authorization-mode: system:masters first (as kube-apiserver's
// privileged-group authorizer), then the modes in the order given.
import type { Store } from '../../storage/interface.ts';
import type { AuthorizationMode } from '../options.ts';
import { alwaysAllow, alwaysDeny } from './always-allow.ts';
import type { Authorizer } from './authorizer.ts';
import { createRbacAuthorizer } from './rbac.ts';
import { createInformerPolicySource, type InformerPolicySource } from './rbac-source.ts';
import { createRulesResolver, type RulesResolver } from './rules-review.ts';
import { privilegedGroupAuthorizer, unionAuthorizer } from './union.ts';

export interface Authorization {
  authorize: Authorizer;
  resolveRules: RulesResolver;
  /** Present with RBAC: start it (informers) before serving. */
  policy?: InformerPolicySource;
}

export function createAuthorization(modes: readonly AuthorizationMode[], store: Store, etcdPrefix: string, log?: (line: string) => void): Authorization {
  const authorizers: Authorizer[] = [privilegedGroupAuthorizer];
  let policy: InformerPolicySource | undefined;
  for (const mode of modes) {
    if (mode === 'AlwaysAllow') authorizers.push(alwaysAllow);
    else if (mode === 'AlwaysDeny') authorizers.push(alwaysDeny);
    else if (mode === 'RBAC') {
      policy ??= createInformerPolicySource(store, etcdPrefix, log);
      authorizers.push(createRbacAuthorizer(policy));
    }
  }
  const always = modes[0] === 'AlwaysAllow';
  return { authorize: unionAuthorizer(...authorizers), resolveRules: createRulesResolver({ source: policy, alwaysAllow: always }), policy };
}
