// Static bearer tokens from a kube-apiserver --token-auth-file: a CSV of
// `token,user,uid,"group1,group2"` (plugin/pkg/auth/authenticator/token/tokenfile).
import { timingSafeEqual } from 'node:crypto';
import type { TokenAuthenticator } from './authenticator.ts';
import type { UserInfo } from './user.ts';

/** Splits one CSV record: quoted fields with `""` escapes, leading spaces trimmed. */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else field += line[i++];
      }
      while (i < line.length && line[i] !== ',') field += line[i++];
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    out.push(field);
    i++;
  }
  return out;
}

/** Token → user. Throws with the file name and line for a malformed record. */
export function parseTokenFile(text: string, file = 'token file'): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    if (lines[n].trim() === '') continue;
    const rec = parseCsvLine(lines[n]);
    if (rec.length < 3) throw new Error(`${file}:${n + 1}: token file '${file}' must have at least 3 columns (token, user name, user uid), found ${rec.length}`);
    const [token, name, uid, groups] = rec;
    if (token === '') continue;
    const user: UserInfo = { name, uid, groups: [], extra: {} };
    if (groups !== undefined && groups !== '') user.groups = groups.split(',').map((g) => g.trim());
    users.set(token, user);
  }
  return users;
}

export function createTokenFileAuthenticator(users: Map<string, UserInfo>): TokenAuthenticator {
  const entries = [...users.entries()].map(([token, user]) => ({ token: Buffer.from(token), user }));
  return async function tokenFile(token) {
    const presented = Buffer.from(token);
    for (const e of entries) {
      if (e.token.length === presented.length && timingSafeEqual(e.token, presented)) {
        return { user: { ...e.user, groups: [...e.user.groups], extra: {} } };
      }
    }
    return null;
  };
}
