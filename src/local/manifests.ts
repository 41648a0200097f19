// Multi-document YAML manifests (deploy/...) read as objects, so `kagg up` applies the
// same RBAC a real cluster gets from `kubectl apply -f deploy/wardle/`.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../client/apply.ts';

export async function readManifests(file: string): Promise<KubeObject[]> {
  const text = await readFile(file, 'utf8');
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      throw new Error(`${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as KubeObject | null;
    if (value) objects.push(value);
  }
  return objects;
}
