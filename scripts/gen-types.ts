// Generates TypeScript types from the Avro schemas in schemas/, so the schemas stay the one
// source of truth for message shapes. Run: node scripts/gen-types.ts (a test checks it is current).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

type Avro = string | Avro[] | { type: string | Avro; name?: string; fields?: Field[]; symbols?: string[]; items?: Avro; values?: Avro; doc?: string };
interface Field { name: string; type: Avro; doc?: string; default?: unknown }

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_PATH = join(root, 'services/core/src/schemas.generated.ts');

export function generate(): string {
  const out: string[] = [
    '// Generated from schemas/*.avsc by scripts/gen-types.ts. Do not edit by hand.',
    '',
  ];
  const emitted = new Set<string>();
  const tsType = (t: Avro): string => {
    if (typeof t === 'string') {
      switch (t) {
        case 'string': return 'string';
        case 'boolean': return 'boolean';
        case 'int': case 'long': case 'float': case 'double': return 'number';
        case 'null': return 'null';
        default: return t.split('.').pop()!;
      }
    }
    // Unions read best with null last: `string | null`.
    if (Array.isArray(t)) return [...t.filter((m) => m !== 'null'), ...t.filter((m) => m === 'null')].map(tsType).join(' | ');
    if (typeof t.type === 'object') return tsType(t.type);
    switch (t.type) {
      case 'record': emitRecord(t as { name: string; fields: Field[]; doc?: string }); return t.name!;
      case 'enum':
        if (!emitted.has(t.name!)) {
          emitted.add(t.name!);
          out.push(`export type ${t.name} = ${t.symbols!.map((s) => `'${s}'`).join(' | ')};`);
          out.push(`export const ${t.name}_SYMBOLS = [${t.symbols!.map((s) => `'${s}'`).join(', ')}] as const;`, '');
        }
        return t.name!;
      case 'array': return `${wrap(tsType(t.items!))}[]`;
      case 'map': return `Record<string, ${tsType(t.values!)}>`;
      default: return tsType(t.type);
    }
  };
  const wrap = (s: string) => (s.includes('|') ? `(${s})` : s);
  const emitRecord = (r: { name: string; fields: Field[]; doc?: string }) => {
    if (emitted.has(r.name)) return;
    emitted.add(r.name);
    const lines = r.fields.map((f) => {
      const optional = Array.isArray(f.type) && f.type.includes('null');
      const doc = f.doc ? `  /** ${f.doc} */\n` : '';
      return `${doc}  ${f.name}${optional ? '?' : ''}: ${tsType(f.type)};`;
    });
    out.push(...(r.doc ? [`/** ${r.doc} */`] : []), `export interface ${r.name} {`, ...lines, '}', '');
  };
  const files = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.avsc')).sort();
  for (const f of files) {
    const schema = JSON.parse(readFileSync(join(root, 'schemas', f), 'utf8')) as Avro;
    tsType(schema);
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_PATH, generate());
  console.error(`wrote ${GENERATED_PATH}`);
}
