// APIService manifests from YAML files (several documents, or a List), for validating
// them before they are applied.
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { APIService } from '../aggregator/apis/types.ts';
import { ConfigFileError } from './errors.ts';

export interface APIServiceFile {
  file: string;
  object: APIService;
}

export async function loadAPIServiceFiles(files: readonly string[]): Promise<APIServiceFile[]> {
  const out: APIServiceFile[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new ConfigFileError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, undefined, { cause: err });
    }
    for (const doc of parseAllDocuments(text)) {
      if ('errors' in doc && doc.errors.length > 0) throw new ConfigFileError(file, `invalid YAML: ${doc.errors[0].message.split('\n')[0].slice(0, 160)}`, doc.errors[0].linePos?.[0]?.line);
      const value = doc.toJS() as { kind?: string; items?: unknown[] } | null;
      const objects = value?.kind === 'List' || value?.kind === 'APIServiceList' ? (value.items ?? []) : [value];
      for (const o of objects) {
        const obj = o as (APIService & { kind?: string }) | null;
        if (obj && obj.kind === 'APIService') out.push({ file, object: { ...obj, spec: obj.spec ?? ({} as APIService['spec']), metadata: obj.metadata ?? {} } });
      }
    }
  }
  if (out.length === 0) throw new ConfigFileError(files.join(', '), 'no APIService object found');
  return out;
}
