/**
 * The `raw` field of a dead-letter record: at most RAW_LIMIT characters of the line or record
 * that could not be used (CONTRACT.md section 2), enough to find it and see what was wrong
 * without copying a huge line into the dead-letter output. The one cut for every producer of
 * dead letters (the parser, `produce`, the services, the notifier); it must never split a
 * UTF-16 surrogate pair, whose lone half would not be valid UTF-8 in the record.
 *
 *   cutRaw('x'.repeat(999) + '😀')  // 'x'.repeat(999): the emoji would straddle the limit
 */

/** Most characters of a bad line kept in its dead-letter record. */
export const RAW_LIMIT = 1000;

/** `text` cut to at most RAW_LIMIT characters, one fewer when the cut would split a surrogate pair. */
export function cutRaw(text: string): string {
  if (text.length <= RAW_LIMIT) return text;
  let end = RAW_LIMIT;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
