// YAML with exact source positions, on top of the `yaml` package (see docs/decisions/0001-yaml-library.md).
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, isAlias, isPair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node as YNode, Pair } from 'yaml';

export { isMap, isSeq, isScalar, isAlias, isPair, Scalar, YAMLMap, YAMLSeq };
export type { YNode, Pair, Document };

export interface Pos {
  line: number; // 1-based
  column: number; // 1-based, UTF-16 code units
  endLine: number;
  endColumn: number;
  offset: number;
  endOffset: number;
}

export interface YamlError {
  message: string;
  line: number;
  column: number;
}

export interface ParsedYaml {
  /** the text after BOM removal; offsets refer to it */
  text: string;
  docs: Document.Parsed[];
  errors: YamlError[];
  lineCounter: LineCounter;
  /** number of characters removed at the start (BOM) */
  bomLength: number;
}

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'YamlSyntaxError';
  }
}

/**
 * Parse every document of a YAML stream, keeping positions.
 * Handles a UTF-8 BOM (stripped, positions stay those an editor shows), CRLF line ends, anchors and aliases
 * (resolved on access via `resolve`), flow style, block scalars and multiple documents.
 */
export function parseYaml(source: string): ParsedYaml {
  let text = source;
  let bomLength = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    bomLength = 1;
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter,
    keepSourceTokens: false,
    uniqueKeys: false,
    merge: true,
    prettyErrors: false,
    strict: false,
  });
  const errors: YamlError[] = [];
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // EmptyStream
  }
  for (const d of list) {
    for (const e of d.errors) {
      const lp = lineCounter.linePos(e.pos[0]);
      errors.push({ message: e.message.split('\n')[0], line: lp.line, column: lp.col });
    }
  }
  return { text, docs: list, errors, lineCounter, bomLength };
}

/** Parse, throwing YamlSyntaxError on the first error. */
export function parseYamlStrict(source: string): ParsedYaml {
  const p = parseYaml(source);
  if (p.errors.length) {
    const e = p.errors[0];
    throw new YamlSyntaxError(e.message, e.line, e.column);
  }
  return p;
}

export function posOf(p: ParsedYaml, node: YNode | Pair | null | undefined): Pos | undefined {
  const range = isPair(node) ? (node.key as YNode | null)?.range : (node as YNode | null | undefined)?.range;
  if (!range) return undefined;
  const a = p.lineCounter.linePos(range[0]);
  const b = p.lineCounter.linePos(range[1]);
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col, offset: range[0], endOffset: range[1] };
}

/** Position of an offset. */
export function posAt(p: ParsedYaml, offset: number): { line: number; column: number } {
  const a = p.lineCounter.linePos(offset);
  return { line: a.line, column: a.col };
}

/** Follow aliases to their anchored node. */
export function resolve(doc: Document.Parsed, node: unknown): YNode | null {
  let n = node as YNode | null;
  let guard = 0;
  while (n && isAlias(n) && guard++ < 64) n = n.resolve(doc) as YNode | null;
  return n ?? null;
}

/** Get the value node of `key` in a map node (aliases resolved, merge keys `<<` followed). */
export function mapGet(doc: Document.Parsed, node: unknown, key: string): YNode | null {
  const pair = mapGetPair(doc, node, key);
  return pair ? resolve(doc, pair.value) : null;
}

export function mapGetPair(doc: Document.Parsed, node: unknown, key: string, depth = 0): Pair<YNode, YNode> | null {
  const m = resolve(doc, node);
  if (!isMap(m)) return null;
  for (const item of m.items as Pair<YNode, YNode>[]) {
    const k = resolve(doc, item.key);
    if (isScalar(k) && !isMergeKey(k) && String(k.value) === key) return item;
  }
  // `<<: *base` / `<<: [*a, *b]`: keys written in the map win, then the merged maps in order
  if (depth < 16) {
    for (const src of mergeSources(doc, m)) {
      const hit = mapGetPair(doc, src, key, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

/** A YAML 1.1 merge key (`<<`), as the parser gives it with `merge: true`. */
export function isMergeKey(k: unknown): boolean {
  return isScalar(k) && (typeof k.value === 'symbol' ? k.value.description === '<<' : false);
}

/** The maps merged into `m` by its `<<` keys, in priority order. */
function mergeSources(doc: Document.Parsed, m: YAMLMap): YNode[] {
  const out: YNode[] = [];
  for (const item of m.items as Pair<YNode, YNode>[]) {
    if (!isMergeKey(resolve(doc, item.key))) continue;
    const v = resolve(doc, item.value);
    if (isMap(v)) out.push(v);
    else if (isSeq(v)) for (const e of v.items) {
      const r = resolve(doc, e);
      if (isMap(r)) out.push(r);
    }
  }
  return out;
}

/** Iterate a map's pairs with string keys (aliases resolved). */
export function mapEntries(doc: Document.Parsed, node: unknown, depth = 0): Array<{ key: string; keyNode: YNode; value: YNode | null; pair: Pair<YNode, YNode> }> {
  const m = resolve(doc, node);
  if (!isMap(m)) return [];
  const out: Array<{ key: string; keyNode: YNode; value: YNode | null; pair: Pair<YNode, YNode> }> = [];
  for (const item of m.items as Pair<YNode, YNode>[]) {
    const k = resolve(doc, item.key);
    if (!k || !isScalar(k) || isMergeKey(k)) continue;
    out.push({ key: String(k.value), keyNode: k, value: resolve(doc, item.value), pair: item });
  }
  // keys merged in with `<<` that the map does not write itself
  if (depth < 16) {
    for (const src of mergeSources(doc, m)) {
      for (const e of mapEntries(doc, src, depth + 1)) if (!out.some((o) => o.key === e.key)) out.push(e);
    }
  }
  return out;
}

export function seqItems(doc: Document.Parsed, node: unknown): YNode[] {
  const s = resolve(doc, node);
  if (!isSeq(s)) return [];
  return (s.items as YNode[]).map((i) => resolve(doc, i)).filter((i): i is YNode => i !== null);
}

/** The string value of a scalar node, or undefined. Numbers and booleans are stringified. */
export function scalarString(doc: Document.Parsed, node: unknown): string | undefined {
  const n = resolve(doc, node);
  if (!isScalar(n)) return undefined;
  if (n.value === null || n.value === undefined) return undefined;
  return String(n.value);
}

/**
 * Source position of the scalar's *content* (inside quotes, after a block-scalar header) when the scalar
 * is written on one line; else the node start. Used to point at the offending token exactly.
 */
export function scalarContentPos(p: ParsedYaml, node: YNode): Pos | undefined {
  const base = posOf(p, node);
  if (!base || !isScalar(node)) return base;
  const t = (node as Scalar).type;
  if (t === 'BLOCK_LITERAL' || t === 'BLOCK_FOLDED') {
    // `uses: >-` then the value on the next line: point at its first character, not at the header
    const raw = p.text.slice(base.offset, base.endOffset);
    const nl = raw.indexOf('\n');
    const m = nl >= 0 ? /\S/.exec(raw.slice(nl + 1)) : null;
    if (m) {
      const start = base.offset + nl + 1 + m.index;
      let end = base.endOffset;
      while (end > start && /\s/.test(p.text[end - 1])) end--;
      const a = p.lineCounter.linePos(start);
      const b = p.lineCounter.linePos(end);
      return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col, offset: start, endOffset: end };
    }
    return base;
  }
  if (t === 'QUOTE_DOUBLE' || t === 'QUOTE_SINGLE') {
    const a = p.lineCounter.linePos(base.offset + 1);
    const b = p.lineCounter.linePos(Math.max(base.offset + 1, base.endOffset - 1));
    return { ...base, line: a.line, column: a.col, endLine: b.line, endColumn: b.col, offset: base.offset + 1, endOffset: base.endOffset - 1 };
  }
  return base;
}

/**
 * Find the source position of `needle` inside the raw text of a scalar node (e.g. the `@v4` part of a
 * `uses:` value, or an expression inside a `run:` block). Falls back to the node start.
 */
export function positionInScalar(p: ParsedYaml, node: YNode, needle: string, from = 0): { line: number; column: number; offset: number } {
  const range = node.range;
  if (range) {
    const raw = p.text.slice(range[0], range[1]);
    const i = raw.indexOf(needle, from);
    if (i >= 0) {
      const lp = p.lineCounter.linePos(range[0] + i);
      return { line: lp.line, column: lp.col, offset: range[0] + i };
    }
    const lp = p.lineCounter.linePos(range[0]);
    return { line: lp.line, column: lp.col, offset: range[0] };
  }
  return { line: 1, column: 1, offset: 0 };
}

/** Text of the source line `line` (1-based), without its line end. */
export function lineText(p: ParsedYaml, line: number): string {
  const starts = p.lineCounter.lineStarts;
  const s = starts[line - 1];
  if (s === undefined) return '';
  const e = starts[line] ?? p.text.length;
  return p.text.slice(s, e).replace(/\r?\n$/, '');
}
