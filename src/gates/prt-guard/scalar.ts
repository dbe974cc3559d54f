// Map offsets in a scalar's *value* (what the runner sees after YAML processing) back to source positions.
// Works for block literals `|`, folded `>`, plain multi-line, single- and double-quoted scalars and CRLF files:
// the value's characters are aligned, in order, with the source characters of the node. Characters that YAML
// synthesises (folded line breaks, escapes) map to the nearest source character.
import { isScalar, type ParsedYaml, type Scalar, type YNode } from '../../core/yaml.js';

export interface ScalarText {
  value: string;
  /** source offset (in ParsedYaml.text) of each value character, plus one entry for the end */
  map: Int32Array;
  p: ParsedYaml;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', ' ': ' ', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029', '\t': '\t' };

export function scalarText(p: ParsedYaml, node: YNode | null | undefined): ScalarText | undefined {
  if (!node || !isScalar(node) || !node.range) return undefined;
  const s = node as Scalar;
  if (s.value === null || s.value === undefined) return undefined;
  const value = String(s.value);
  const src = p.text;
  let j = node.range[0];
  const end = node.range[1];
  const t = s.type;
  if (t === 'BLOCK_LITERAL' || t === 'BLOCK_FOLDED') {
    const nl = src.indexOf('\n', j);
    j = nl < 0 ? end : nl + 1;
  } else if (t === 'QUOTE_DOUBLE' || t === 'QUOTE_SINGLE') {
    j += 1;
  }
  const dq = t === 'QUOTE_DOUBLE';
  const map = new Int32Array(value.length + 1);
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (j < end && src[j] === c && !(dq && c === '\\')) {
      map[i] = j++;
      continue;
    }
    if (dq && src[j] === '\\' && j + 1 < end) {
      const e = src[j + 1];
      if (ESCAPES[e] === c) {
        map[i] = j;
        j += 2;
        continue;
      }
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        map[i] = j;
        j += 2 + len;
        if (c.length === 1 && value.charCodeAt(i) >= 0xd800 && value.charCodeAt(i) <= 0xdbff) map[++i] = j - 1;
        continue;
      }
    }
    // skip what YAML removed (indentation, line breaks, escaped line breaks, quote doubling)
    let k = j;
    while (k < end && src[k] !== c && (src[k] === ' ' || src[k] === '\t' || src[k] === '\r' || src[k] === '\n' || src[k] === '\\' || src[k] === "'" || src[k] === '"')) k++;
    if (k < end && src[k] === c) {
      map[i] = k;
      j = k + 1;
    } else {
      map[i] = Math.min(j, Math.max(end - 1, node.range[0]));
    }
  }
  map[value.length] = j;
  return { value, map, p };
}

/** 1-based line/column of a value offset. */
export function valuePos(st: ScalarText, i: number): { line: number; column: number; offset: number } {
  const off = st.map[Math.max(0, Math.min(i, st.value.length))];
  const lp = st.p.lineCounter.linePos(off);
  return { line: lp.line, column: lp.col, offset: off };
}
