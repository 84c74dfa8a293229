/**
 * Splits the ConsoleSpanExporter's stdout (one `console.dir` object per span, opening
 * with `{` alone on a line) into one text block per span.
 */
export function spanBlocks(stdout: string): string[] {
  return stdout
    .split(/^\{$/m)
    .slice(1)
    .map((b) => b.slice(0, b.search(/^\}$/m) + 1));
}

/** The `name: '...'` of a span block (the first one: the span's own name comes before events). */
export function blockName(block: string): string | undefined {
  return /^ {2}name: '([^']*)'/m.exec(block)?.[1];
}

/** The `kind: n` of a span block (1 = SERVER, 2 = CLIENT). */
export function blockKind(block: string): number | undefined {
  const m = /^ {2}kind: (\d)/m.exec(block);
  return m ? Number(m[1]) : undefined;
}
