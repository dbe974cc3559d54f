import { describe, expect, it } from 'vitest';
import { parseYaml, mapGet, seqItems, scalarString, posOf, scalarContentPos, positionInScalar, parseYamlStrict, YamlSyntaxError } from '../../src/core/yaml.js';

describe('YAML with positions', () => {
  it('gives 1-based line and column of every scalar', () => {
    const p = parseYaml('a:\n  b: [x, "y"]\n  c: |\n    run this\n');
    const doc = p.docs[0];
    const b = mapGet(doc, mapGet(doc, doc.contents, 'a'), 'b');
    const [x, y] = seqItems(doc, b);
    expect(posOf(p, x)).toMatchObject({ line: 2, column: 7 });
    expect(scalarContentPos(p, y)).toMatchObject({ line: 2, column: 11 });
    const c = mapGet(doc, mapGet(doc, doc.contents, 'a'), 'c')!;
    expect(positionInScalar(p, c, 'this')).toMatchObject({ line: 4, column: 9 });
  });

  it('strips a BOM without shifting columns, and handles CRLF', () => {
    const p = parseYaml('\uFEFFkey: value\r\nother: two\r\n');
    const doc = p.docs[0];
    expect(p.bomLength).toBe(1);
    expect(posOf(p, mapGet(doc, doc.contents, 'other'))).toMatchObject({ line: 2, column: 8 });
    expect(scalarString(doc, mapGet(doc, doc.contents, 'key'))).toBe('value');
  });

  it('resolves anchors, aliases and merge keys', () => {
    const p = parseYaml('base: &b {image: node:20}\njob:\n  <<: *b\n  x: *b\n');
    const doc = p.docs[0];
    const job = mapGet(doc, doc.contents, 'job');
    expect(scalarString(doc, mapGet(doc, mapGet(doc, job, 'x'), 'image'))).toBe('node:20');
    // the aliased node keeps the anchor's position: findings point at the real text
    expect(posOf(p, mapGet(doc, mapGet(doc, job, 'x'), 'image'))).toMatchObject({ line: 1, column: 18 });
  });

  it('reads every document of a stream', () => {
    const p = parseYaml('a: 1\n---\nb: 2\n');
    expect(p.docs).toHaveLength(2);
    expect(posOf(p, mapGet(p.docs[1], p.docs[1].contents, 'b'))).toMatchObject({ line: 3, column: 4 });
  });

  it('reports syntax errors with a position', () => {
    expect(() => parseYamlStrict('a: [1, 2\nb: c\n')).toThrow(YamlSyntaxError);
    const p = parseYaml('a:\n\t- x\n');
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.errors[0].line).toBeGreaterThanOrEqual(1);
  });
});
