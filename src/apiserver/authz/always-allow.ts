import type { Authorizer } from './authorizer.ts';

export const alwaysAllow: Authorizer = async () => ({ decision: 'allow', reason: '' });
export const alwaysDeny: Authorizer = async () => ({ decision: 'deny', reason: 'Everything is forbidden.' });
