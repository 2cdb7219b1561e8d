// Saved scoring models as files: `detect --model-out` writes the model in force at the end of a
// run; `detect --model` and `replay --model` score with one instead of training. The file is the
// core's modelToJSON document (format distillwatch.scoring-model), so it is versioned and checked.
import { readFile, writeFile } from 'node:fs/promises';
import { modelFromJSON, modelToJSON, type ScoringModel } from '@distillwatch/core';
import { UserError } from '../errors.ts';

export async function loadModel(path: string): Promise<ScoringModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return modelFromJSON(JSON.parse(text));
  } catch (err) {
    throw new UserError(`${path}: ${(err as Error).message}`);
  }
}

export async function saveModel(path: string, model: ScoringModel): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(modelToJSON(model))}\n`);
  } catch (err) {
    throw new UserError(`${path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
