// Saved scoring models as files: `detect --model-out` writes the model in force at the end of a
// run; `detect --model` and `replay --model` score with one instead of training. The file is the
// core's modelToJSON document (format distillwatch.scoring-model), so it is versioned and checked.
import { writeFile } from 'node:fs/promises';
import { modelFromJSON, modelToJSON, type ScoringModel } from '@distillwatch/core';
import { UserError } from '../errors.ts';
import { readTextFile } from './textFile.ts';

export async function loadModel(path: string): Promise<ScoringModel> {
  const text = await readTextFile(path);
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
