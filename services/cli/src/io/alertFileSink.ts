// The alert sink of `replay --output FILE` (or `-`): one alert per line as JSON, exactly as
// `detect` writes them, so the two outputs compare byte for byte.
import type { AlertSink } from '@distillwatch/oncall';
import { LineWriter } from './output.ts';

export async function alertFileSink(path: string): Promise<AlertSink> {
  const out = await LineWriter.open(path);
  return {
    target: path === '-' ? 'standard output' : path,
    write: async (alerts) => { for (const a of alerts) out.write(JSON.stringify(a)); },
    flush: () => out.drain(),
    close: () => out.close(),
  };
}
