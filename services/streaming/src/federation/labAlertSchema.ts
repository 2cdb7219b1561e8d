// The Avro schema of a lab's alert feed on its `distillation-alerts`: the DistillationAlert of
// schemas/distillation-alert.avsc plus the three optional fields of a lab's view (CONTRACT.md §6):
// `recipient_lab`, `linked_accounts` (other labs' members as `{lab, token}`) and `source`
// (`local` or `forum`). Built from the file, so the two can never drift; every field added has
// a null default, so it is a BACKWARD-compatible version of the same subject: the bridge writes
// forum alerts with it, the scorer keeps writing local alerts with the plain schema, and every
// reader of either schema reads both. It must never drop or change a field of the base schema.
import { readSchemaFile } from '@distillwatch/platform/avro';

export async function labAlertSchemaText(): Promise<string> {
  const schema = JSON.parse(await readSchemaFile('distillation-alert.avsc')) as { doc?: string; fields: unknown[] };
  schema.fields.push(
    { name: 'recipient_lab', type: ['null', 'string'], default: null, doc: 'Federation: the lab whose feed this is (null on a lab without a federation).' },
    {
      name: 'linked_accounts', default: null, doc: 'Federation: members at other labs, as pseudonyms only their own lab resolves.',
      type: ['null', { type: 'array', items: { type: 'record', name: 'LinkedAccount', fields: [{ name: 'lab', type: 'string' }, { name: 'token', type: 'string' }] } }],
    },
    { name: 'source', type: ['null', 'string'], default: null, doc: "Federation: 'local' (the lab's own scorer) or 'forum'." },
  );
  return JSON.stringify(schema);
}
