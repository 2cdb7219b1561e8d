// Reads vitest's JSON report and fails when any test was skipped, pending or marked todo, or
// when no test ran at all: CI must never call a run green that silently skipped its broker.
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) { console.error('usage: check-test-results.ts <vitest-json-report>'); process.exit(2); }
const report = JSON.parse(readFileSync(path, 'utf8')) as {
  numTotalTests: number; numPassedTests: number; numFailedTests: number;
  numPendingTests: number; numTodoTests: number;
};
const { numTotalTests, numPassedTests, numFailedTests, numPendingTests, numTodoTests } = report;
const problems: string[] = [];
if (numTotalTests === 0) problems.push('no test ran');
if (numFailedTests > 0) problems.push(`${numFailedTests} failed`);
if (numPendingTests + numTodoTests > 0) problems.push(`${numPendingTests + numTodoTests} skipped or todo`);
if (problems.length > 0) {
  console.error(`test results: ${problems.join(', ')}`);
  process.exit(1);
}
console.log(`${numPassedTests} passed, ${numFailedTests} failed`);
