// pin-lint's pure analysis: one file's text in, findings and the refs it saw out.
import type { Finding, Severity } from '../../core/types.js';
import { Fingerprinter } from '../../core/fingerprint.js';
import {
  parseYaml,
  mapGet,
  mapEntries,
  seqItems,
  scalarString,
  scalarContentPos,
  isScalar,
  isMap,
  isSeq,
  posOf,
  posAt,
  type ParsedYaml,
  type YNode,
  type Document,
} from '../../core/yaml.js';
import { levelFor, type Policy } from './policy.js';

export type FileKind = 'workflow' | 'action' | 'other';

export interface UsesRef {
  file: string;
  line: number;
  column: number;
  /** offsets of the ref part (after `@`) in the file text (BOM excluded) */
  refStart: number;
  refEnd: number;
  /** offset of the end of the scalar (after a closing quote) */
  valueEnd: number;
  /** written as a block scalar (`uses: >-`): a comment at the line end would become part of the value */
  blockScalar?: boolean;
  owner: string;
  repo: string;
  path: string;
  ref: string;
  comment?: string;
  /** the comment's version token, when it has one */
  commentVersion?: string;
  /**
   * the whole tag the comment names when the version is part of a longer name: a monorepo tag
   * (`# create-github-app-token/v0.3.1`, grafana/shared-workflows), `# deploy-v1.2.3`, a branch `# release/v1`
   */
  commentTag?: string;
  pinned: boolean;
  suppressed: boolean;
}

export interface ScanResult {
  kind: FileKind;
  findings: Finding[];
  refs: UsesRef[];
  /** number of uses/image references examined */
  checked: number;
  /** no YAML content at all (an empty file, only comments): nothing in it can run */
  empty?: boolean;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
/** an image digest: sha256 (what registries use) or sha512, lowercase hex as the OCI spec requires */
const DIGEST_PIN = /@(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
/** something written as a digest that is not one (`@sha256:ABC…`, `@sha256:abc`): docker refuses to pull it */
const BAD_DIGEST = /@(sha\d+:[^@]*)$/i;
const EXPR = /\$\{\{/;
/** `${{ matrix.a }}`, `${{ matrix.a.b }}` and `${{ fromJSON(toJSON(matrix.a)) }}` (the whole value) */
const MATRIX_EXPR = /^\$\{\{\s*(?:fromJSON\(\s*toJSON\(\s*)?matrix((?:\.[A-Za-z_][\w-]*)+)(?:\s*\)\s*\))?\s*\}\}$/i;
/** `${{ fromJSON(matrix.a) }}` and the guard idiom `${{ matrix.a && fromJSON(matrix.a) || '' }}` */
const FROMJSON_MATRIX = /^\$\{\{\s*(?:matrix((?:\.[A-Za-z_][\w-]*)+)\s*&&\s*)?fromJSON\(\s*matrix((?:\.[A-Za-z_][\w-]*)+)\s*\)(?:\s*\|\|\s*(?:''|""|null))?\s*\}\}$/i;
/** one `matrix.a.b` expression inside a longer value (`postgres:${{ matrix.pg }}`) */
const MATRIX_PART = /^\s*matrix((?:\.[A-Za-z_][\w-]*)+)\s*$/;
const EXPR_ALL = /\$\{\{([\s\S]*?)\}\}/g;
const IGNORE = /#\s*chaingate:\s*ignore\[([^\]]*)\]/;
/** another tool's directive beside a SHA (`# zizmor: ignore[…]`, `# ratchet:exclude`): not a version comment */
const DIRECTIVE = /^(?:zizmor:\s*ignore|ratchet:\s*exclude|pinact:\s*ignore|chaingate:|noqa\b|nosec\b|skipcq\b|trunk-ignore|nolint\b)/i;

export const PIN_RULES = {
  'unpinned-action': { severity: 'high' as Severity },
  'unpinned-image': { severity: 'high' as Severity },
  'unpinnable-ref': { severity: 'medium' as Severity },
  'version-comment': { severity: 'low' as Severity },
  'version-mismatch': { severity: 'high' as Severity },
  'version-unresolved': { severity: 'medium' as Severity },
  'parse-error': { severity: 'high' as Severity },
};

/** Classify a file by content: a workflow has `jobs`, an action has `runs`. */
export function kindOf(doc: Document.Parsed | undefined): FileKind {
  if (!doc) return 'other';
  const root = doc.contents;
  if (!isMap(root)) return 'other';
  if (mapGet(doc, root, 'jobs')) return 'workflow';
  if (mapGet(doc, root, 'runs')) return 'action';
  return 'other';
}

const VERSION_TOKEN = /(?:^|[\s=@/:#(])((?:v\s?)?\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]*[0-9A-Za-z])?)(?=$|[\s,;)#]|\.(?:$|\s))/gi;
/** `2024-10-23` (a date written beside the version, or alone) is not a tag */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Pull a version out of a comment such as `v4.1.1`, `tag=v4`, `pin@v1.2.3`, `4.2.0`, `release/v2`,
 * `pinned to v4.2.2.` (a sentence's full stop is not part of it). A bare date (`# 2024-10-23`) is not a version.
 */
export function versionInComment(comment: string): string | undefined {
  for (const m of comment.matchAll(VERSION_TOKEN)) {
    const v = m[1].replace(/\s+/g, '');
    if (ISO_DATE.test(v)) continue;
    return v;
  }
  const p = /(?:^|\s)pin(v\d+(?:\.\d+){0,3})\b/i.exec(comment);
  return p ? p[1] : undefined;
}

/**
 * The whole tag a comment names when the version is the end of a longer name: `create-github-app-token/v0.3.1`
 * (release-please monorepo tags, grafana/shared-workflows), `deploy-v1.2.3`, `release/v1` (a branch, as
 * pypa/gh-action-pypi-publish is used). Undefined when the comment names a plain version.
 */
export function tagInComment(comment: string): string | undefined {
  const m = /(?:^|[\s=@:(])([A-Za-z0-9][\w.-]*(?:\/[\w.-]+)*[-/_]v\d+(?:\.\d+){0,3}(?:[-+][0-9A-Za-z.-]*[0-9A-Za-z])?)(?=$|[\s,;)#]|\.(?:$|\s))/.exec(comment);
  return m ? m[1] : undefined;
}

/**
 * What a version comment claims: the version, and the whole tag (or branch) when the version is the end of one.
 * Both come from the same token: in `# v4.2.2 (from release/v1)` the claim is `v4.2.2`, and `release/v1` is not
 * looked up (a branch of that name must not excuse a pin that is not v4.2.2).
 */
export function commentClaim(comment: string): { commentVersion?: string; commentTag?: string } {
  const version = versionInComment(comment);
  const tag = tagInComment(comment);
  if (!tag) return version === undefined ? {} : { commentVersion: version };
  const suffix = tag.replace(/^.*[-/_](?=v\d)/, '');
  if (version === undefined || version === suffix) return { commentVersion: suffix, commentTag: tag };
  return { commentVersion: version };
}

export interface ScanOptions {
  policy: Policy;
  gate?: string;
  fingerprinter?: Fingerprinter;
}

export function scanText(file: string, source: string, opts: ScanOptions): ScanResult {
  const fp = opts.fingerprinter ?? new Fingerprinter();
  const gate = opts.gate ?? 'pin-lint';
  const p = parseYaml(source);
  const findings: Finding[] = [];
  const refs: UsesRef[] = [];
  let checked = 0;
  if (p.errors.length) {
    const e = p.errors[0];
    findings.push({
      rule: 'parse-error',
      severity: 'high',
      isError: true,
      message: `invalid YAML: ${e.message}`,
      file,
      line: e.line,
      column: e.column,
      fingerprint: fp.make('parse-error', file, ''),
    });
    return { kind: 'other', findings, refs, checked };
  }

  const lineOf = (offset: number) => p.lineCounter.linePos(offset).line;
  const lineStr = (line: number) => {
    const s = p.lineCounter.lineStarts[line - 1] ?? 0;
    const e = p.lineCounter.lineStarts[line] ?? p.text.length;
    return p.text.slice(s, e);
  };
  const suppressedOn = (offset: number) => {
    const m = IGNORE.exec(lineStr(lineOf(offset)));
    return !!m && m[1].split(',').map((s) => s.trim()).some((g) => g === gate || g === '*' || g === 'all');
  };
  /** trailing comment after a scalar on its line */
  const commentAfter = (end: number): string | undefined => {
    const line = lineOf(end);
    const lineEnd = p.lineCounter.lineStarts[line] ?? p.text.length;
    const rest = p.text.slice(end, lineEnd).replace(/\r?\n$/, '');
    const m = /^\s+#\s?(.*)$/.exec(rest) ?? /^\s*#\s?(.*)$/.exec(rest);
    // a bare `#` claims nothing: no comment
    return m && m[1].trim() ? m[1].trim() : undefined;
  };

  const add = (rule: keyof typeof PIN_RULES, node: YNode, message: string, token: string, context: string, extra?: Partial<Finding>) => {
    const pos = scalarContentPos(p, node) ?? posOf(p, node);
    if (!pos) return;
    const sup = suppressedOn(pos.offset);
    findings.push({
      rule,
      severity: PIN_RULES[rule].severity,
      message,
      file,
      line: pos.line,
      column: pos.column,
      endLine: pos.endLine,
      endColumn: pos.endColumn,
      fingerprint: fp.make(rule, file, token, context),
      ...(sup ? { suppressed: { kind: 'inSource', justification: `# chaingate: ignore[${gate}]` } } : {}),
      ...extra,
    });
  };

  let kind: FileKind = 'other';
  for (const doc of p.docs) {
    const k = kindOf(doc);
    if (k === 'other') continue;
    kind = k;
    const root = doc.contents;

    const checkUses = (node: YNode | null, context: string, where: 'step' | 'job', matrixOf?: YNode | null) => {
      if (!node) return;
      const value = scalarString(doc, node);
      if (value === undefined) return;
      const v = value.trim();
      if (isLocal(v)) return; // local: always the same commit
      checked++;
      if (EXPR.test(v)) {
        const m = MATRIX_EXPR.exec(v);
        const values = m ? matrixValues(doc, matrixOf ?? null, matrixPath(m[1])) : undefined;
        if (values && values.every((mv) => mv.value !== undefined)) {
          for (const mv of values) checkUsesValue(mv.value!, mv.node, context, where, true);
          return;
        }
        if (levelFor(opts.policy, '*') === 'any') return;
        add('unpinnable-ref', node, `\`${v}\` is built from an expression, so it cannot be checked for a pin; write the reference out`, v, context);
        return;
      }
      checkUsesValue(v, node, context, where, false);
    };

    const checkUsesValue = (v: string, node: YNode, context: string, where: 'step' | 'job', fromMatrix: boolean) => {
      if (isLocal(v)) return;
      if (v.startsWith('docker://')) {
        const image = v.slice('docker://'.length);
        const level = levelFor(opts.policy, imageName(image));
        if (level === 'any' || DIGEST_PIN.test(image)) return;
        if (level === 'ref-pin' && /[:@]/.test(image.split('/').pop() ?? '')) return;
        add('unpinned-image', node, `\`${v}\` is not pinned by digest${badDigest(image)}: use docker://${imageName(image)}@sha256:<64 hex>`, v, context);
        return;
      }
      const at = v.lastIndexOf('@');
      const name = at >= 0 ? v.slice(0, at) : v;
      const ref = at >= 0 ? v.slice(at + 1) : '';
      const parts = name.split('/');
      const what = where === 'job' ? 'reusable workflow' : 'action';
      const level = levelFor(opts.policy, name);
      const raw = scalarContentPos(p, node);
      if (!fromMatrix && raw && ref) {
        const src = p.text.slice(raw.offset, raw.endOffset);
        const at2 = src.lastIndexOf(`@${ref}`);
        const refStart = raw.offset + (at2 >= 0 ? at2 + 1 : src.length - ref.length);
        const block = isBlockScalar(node);
        const comment = block ? undefined : commentAfter(posOf(p, node)!.endOffset);
        refs.push({
          file,
          line: raw.line,
          column: raw.column,
          refStart,
          refEnd: refStart + ref.length,
          valueEnd: block ? raw.endOffset : posOf(p, node)!.endOffset,
          ...(block ? { blockScalar: true } : {}),
          owner: parts[0],
          repo: parts[1] ?? '',
          path: parts.slice(2).join('/'),
          ref,
          comment,
          ...(comment ? commentClaim(comment) : {}),
          pinned: FULL_SHA.test(ref),
          suppressed: suppressedOn(raw.offset),
        });
      }
      if (level === 'any') return;
      if (!ref || parts.length < 2 || !parts[0] || !parts[1]) {
        add('unpinned-action', node, `\`${v}\` names no ref: pin the ${what} to a full commit SHA (owner/repo@<40 hex>)`, v, context);
        return;
      }
      if (FULL_SHA.test(ref)) {
        const comment = raw && !isBlockScalar(node) ? commentAfter(posOf(p, node)!.endOffset) : undefined;
        if (comment !== undefined && !IGNORE.test(`#${comment}`) && !DIRECTIVE.test(comment) && !versionInComment(comment) && !tagInComment(comment)) {
          add('version-comment', node, `the comment beside the SHA (\`# ${comment}\`) does not name a version: write the tag the SHA was taken from (e.g. \`# v4.1.1\`)`, v, context);
        }
        return;
      }
      if (level === 'ref-pin') return;
      let why: string;
      if (/^[0-9a-fA-F]{40}$/.test(ref)) why = 'a commit SHA must be written in lowercase hex';
      else if (/^[0-9a-f]{7,39}$/i.test(ref)) why = `\`${ref}\` is an abbreviated SHA (${ref.length} characters): a short SHA can become ambiguous`;
      else if (/^[0-9a-f]{41,}$/i.test(ref)) why = `\`${ref}\` is longer than a commit SHA (${ref.length} characters)`;
      else why = `\`${ref}\` is a tag or branch, which can be moved to other code`;
      add('unpinned-action', node, `${what} \`${name}\` is not pinned to a full commit SHA: ${why}; pin it to the 40-hex SHA (with a \`# <tag>\` comment)`, v, context);
    };

    const checkImage = (node: YNode | null, context: string, matrixOf: YNode | null) => {
      if (!node) return;
      const value = scalarString(doc, node);
      if (value === undefined || value.trim() === '') return;
      const v = value.trim();
      checked++;
      if (EXPR.test(v)) {
        // the digest is written out: whatever the expression names, the content is fixed
        if (DIGEST_PIN.test(v) && !EXPR.test(v.slice(v.lastIndexOf('@')))) return;
        const m = MATRIX_EXPR.exec(v);
        // `${{ fromJSON(matrix.c) }}` / `${{ matrix.c && fromJSON(matrix.c) || '' }}` with JSON written in the
        // matrix (Homebrew/actions setup-homebrew.yml): the container each JSON string describes
        const j = m ? null : FROMJSON_MATRIX.exec(v);
        const jsonPath = j && (j[1] === undefined || j[1] === j[2]) ? j[2] : undefined;
        const values = m ? matrixValues(doc, matrixOf, matrixPath(m[1])) : jsonPath ? matrixValues(doc, matrixOf, matrixPath(jsonPath)) : undefined;
        if (values) {
          for (const mv of values) {
            if (mv.value !== undefined && jsonPath) {
              const img = jsonImage(mv.value);
              if (img === '') continue;
              if (img !== undefined && !EXPR.test(img)) checkImageValue(img, mv.node, context, img);
              else if (levelFor(opts.policy, '*') !== 'any') add('unpinnable-ref', node, `image \`${v}\` is built from an expression, so it cannot be checked for a digest pin`, v, context);
              continue;
            }
            if (mv.value !== undefined) {
              if (mv.value !== '') checkImageValue(mv.value, mv.node, context);
              continue;
            }
            // a matrix entry that is a whole container mapping (`container: ${{ matrix.container }}`)
            const img = isMap(mv.node) ? mapGet(doc, mv.node, 'image') : null;
            const iv = img ? scalarString(doc, img) : undefined;
            if (img && iv !== undefined && !EXPR.test(iv)) {
              if (iv.trim() !== '') checkImageValue(iv.trim(), img, context);
            } else if (isMap(mv.node) && !img) continue; // no image: no container
            else if (levelFor(opts.policy, '*') !== 'any') add('unpinnable-ref', node, `image \`${v}\` is built from an expression, so it cannot be checked for a digest pin`, v, context);
          }
          return;
        }
        // `postgres:${{ matrix.pg }}`: every value of a written-out matrix substituted
        const expanded = m ? undefined : expandMatrixTemplate(doc, matrixOf, v);
        if (expanded) {
          const bad = expanded.filter((img) => img !== '' && !imagePinned(img));
          if (bad.length) add('unpinned-image', node, `image \`${v}\` is not pinned by digest (the matrix makes it \`${bad[0]}\`${bad.length > 1 ? ` and ${bad.length - 1} more` : ''}): a tag can be re-pushed; use ${imageName(bad[0])}@sha256:<64 hex>`, v, context);
          return;
        }
        // `${{ cond && 'node:20' || 'node:22' }}`: the value is one of the literals written in it
        const choices = literalChoices(v);
        if (choices) {
          const bad = choices.filter((img) => img !== '' && !imagePinned(img));
          if (bad.length) add('unpinned-image', node, `image \`${v}\` is not pinned by digest (it can be \`${bad[0]}\`${bad.length > 1 ? ` or ${bad.length - 1} more` : ''}): a tag can be re-pushed; use ${imageName(bad[0])}@sha256:<64 hex>`, v, context);
          return;
        }
        // `img:${{ github.sha }}`, `${{ env.REGISTRY }}/img:1.2`: a tag reference whatever the expression says
        const literal = v.replace(EXPR_ALL, 'X');
        if (!literal.includes('@') && literal.slice(literal.lastIndexOf('/') + 1).includes(':')) {
          if (levelFor(opts.policy, '*') !== 'hash-pin') return;
          add('unpinned-image', node, `image \`${v}\` is a tag reference (name:tag), not pinned by digest: a tag can be re-pushed; use <name>@sha256:<64 hex>`, v, context);
          return;
        }
        if (levelFor(opts.policy, '*') === 'any') return;
        add('unpinnable-ref', node, `image \`${v}\` is built from an expression, so it cannot be checked for a digest pin`, v, context);
        return;
      }
      checkImageValue(v, node, context);
    };
    const imagePinned = (v: string) => {
      const image = v.startsWith('docker://') ? v.slice(9) : v;
      const level = levelFor(opts.policy, imageName(image));
      return level !== 'hash-pin' || DIGEST_PIN.test(image);
    };
    const checkImageValue = (v: string, node: YNode, context: string, inside?: string) => {
      const image = v.startsWith('docker://') ? v.slice(9) : v;
      const level = levelFor(opts.policy, imageName(image));
      if (level === 'any' || DIGEST_PIN.test(image)) return;
      if (level === 'ref-pin') return;
      // an image named inside a longer value (JSON in a matrix): point at the name itself
      const range = inside ? node.range : undefined;
      const i = range ? p.text.slice(range[0], range[1]).indexOf(`"${inside}"`) : -1;
      const at = range && i >= 0 ? posAt(p, range[0] + i + 1) : undefined;
      const extra = at ? { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + inside!.length } : undefined;
      const why = badDigest(image) || ': a tag can be re-pushed';
      add('unpinned-image', node, `image \`${v}\` is not pinned by digest${why}; use ${imageName(image)}@sha256:<64 hex>`, v, context, extra);
    };

    if (k === 'workflow') {
      for (const job of mapEntries(doc, mapGet(doc, root, 'jobs'))) {
        const j = job.value;
        if (!isMap(j)) continue;
        const strategy = mapGet(doc, j, 'strategy');
        const matrix = strategy ? mapGet(doc, strategy, 'matrix') : null;
        checkUses(mapGet(doc, j, 'uses'), `${job.key}`, 'job', matrix);
        const container = mapGet(doc, j, 'container');
        if (container) checkImage(isMap(container) ? mapGet(doc, container, 'image') : container, `${job.key}/container`, matrix);
        for (const svc of mapEntries(doc, mapGet(doc, j, 'services'))) {
          checkImage(isMap(svc.value) ? mapGet(doc, svc.value, 'image') : svc.value, `${job.key}/services/${svc.key}`, matrix);
        }
        stepsOf(doc, mapGet(doc, j, 'steps')).forEach((step, i) => {
          checkUses(mapGet(doc, step, 'uses'), `${job.key}/${stepName(doc, step, i)}`, 'step', matrix);
        });
      }
    } else {
      const runs = mapGet(doc, root, 'runs');
      stepsOf(doc, mapGet(doc, runs, 'steps')).forEach((step, i) => {
        checkUses(mapGet(doc, step, 'uses'), `runs/${stepName(doc, step, i)}`, 'step', null);
      });
      const image = mapGet(doc, runs, 'image');
      const iv = scalarString(doc, image);
      if (image && iv && iv.startsWith('docker://')) checkImage(image, 'runs/image', null);
    }
  }
  // an aliased step or container is one piece of text: report it once, where it is written
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const k = `${f.rule}:${f.line}:${f.column}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const seenRef = new Set<number>();
  const uniqueRefs = refs.filter((r) => (seenRef.has(r.refStart) ? false : (seenRef.add(r.refStart), true)));
  const empty = p.docs.every((d) => d.contents === null || (isScalar(d.contents) && (d.contents.value === null || d.contents.value === '')));
  return { kind, findings: unique, refs: uniqueRefs, checked, ...(empty ? { empty } : {}) };
}

/**
 * `./path` (the checked-out workspace) and `$/path` (the workflow's own repository at the workflow's own
 * commit, fetched by the runner without a checkout: astral-sh/uv, astral-sh/ruff and vitejs/vite call
 * reusable workflows and actions this way) run the commit being built: nothing to pin.
 */
function isLocal(v: string): boolean {
  return v.startsWith('./') || v.startsWith('.\\') || v === '.' || v.startsWith('$/');
}

/** Why something written as a digest is not one (upper-case or short hex): '' when nothing is written as a digest. */
function badDigest(image: string): string {
  const m = BAD_DIGEST.exec(image);
  return m ? ` (\`${m[1]}\` is not a valid digest: 64 lowercase hex characters after sha256:, so the image cannot even be pulled as written)` : '';
}

/**
 * The values `${{ A && 'x' || B && 'y' || 'z' }}` can take, when each alternative ends in a string literal and
 * the last one is a bare literal (so the expression cannot yield anything else): ['x', 'y', 'z']. Undefined for
 * any other expression.
 */
export function literalChoices(v: string): string[] | undefined {
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(v);
  if (!whole || whole[1].includes('}}') || whole[1].includes('${{')) return undefined;
  const inner = whole[1];
  // split at top-level `||` and `&&`, outside quotes and parentheses
  const alts: string[][] = [[]];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "'") {
      const end = inner.indexOf("'", i + 1);
      let j = end;
      while (j >= 0 && inner[j + 1] === "'") j = inner.indexOf("'", j + 2);
      if (j < 0) return undefined;
      cur += inner.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0 && (inner.startsWith('||', i) || inner.startsWith('&&', i))) {
      alts[alts.length - 1].push(cur.trim());
      if (inner[i] === '|') alts.push([]);
      cur = '';
      i++;
      continue;
    }
    cur += c;
  }
  alts[alts.length - 1].push(cur.trim());
  if (alts.length < 2) return undefined;
  const lit = (t: string) => (/^'(?:[^']|'')*'$/.test(t) ? t.slice(1, -1).replace(/''/g, "'").trim() : undefined);
  const out: string[] = [];
  for (const [i, a] of alts.entries()) {
    const value = lit(a[a.length - 1]);
    if (value === undefined) return undefined;
    // only the last alternative may be a bare literal (an earlier one ends the expression: `'a' || 'b'` is 'a')
    if (a.length === 1 && i !== alts.length - 1) return undefined;
    // the last must be bare: `… || B && 'y'` yields B itself when B is falsy (a value not written in the expression)
    if (a.length > 1 && i === alts.length - 1) return undefined;
    if (a.length > 1 || i === alts.length - 1) out.push(value);
  }
  return out;
}

function isBlockScalar(node: YNode): boolean {
  return isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
}

/** The steps of a `steps:` list, including those grouped under a `parallel:` step. */
function stepsOf(doc: Document.Parsed, list: YNode | null): YNode[] {
  const out: YNode[] = [];
  const walk = (items: YNode[], depth: number) => {
    for (const step of items) {
      if (!isMap(step)) continue;
      const group = mapGet(doc, step, 'parallel');
      if (group && depth < 8 && !mapGet(doc, step, 'uses') && !mapGet(doc, step, 'run')) walk(seqItems(doc, group), depth + 1);
      else out.push(step);
    }
  };
  walk(seqItems(doc, list), 0);
  return out;
}

/** The image a JSON container value names: `"node:22"` or `{"image": …}`; '' for none; undefined if unknown. */
function jsonImage(text: string): string | undefined {
  if (text.trim() === '') return '';
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (j === null || j === '') return '';
  if (typeof j === 'string') return j.trim();
  if (typeof j === 'object' && !Array.isArray(j)) {
    const img = (j as Record<string, unknown>).image;
    if (img === undefined || img === null || img === '') return '';
    return typeof img === 'string' ? img.trim() : undefined;
  }
  return undefined;
}

function matrixPath(dotted: string): string[] {
  return dotted.split('.').filter(Boolean);
}

/**
 * Every value `postgres:${{ matrix.pg }}-${{ matrix.os.tag }}` can take when each expression in it is a
 * matrix reference whose values are written out; undefined otherwise (or when there are too many).
 */
function expandMatrixTemplate(doc: Document.Parsed, matrix: YNode | null, template: string): string[] | undefined {
  const parts: Array<string | string[]> = [];
  let last = 0;
  let combos = 1;
  for (const m of template.matchAll(EXPR_ALL)) {
    const ref = MATRIX_PART.exec(m[1]);
    if (!ref) return undefined;
    const values = matrixValues(doc, matrix, matrixPath(ref[1]));
    if (!values || values.some((v) => v.value === undefined)) return undefined;
    parts.push(template.slice(last, m.index), [...new Set(values.map((v) => v.value!))]);
    combos *= (parts[parts.length - 1] as string[]).length;
    if (combos > 1024) return undefined;
    last = m.index + m[0].length;
  }
  if (EXPR.test(template.slice(last))) return undefined;
  parts.push(template.slice(last));
  let out = [''];
  for (const part of parts) out = typeof part === 'string' ? out.map((o) => o + part) : out.flatMap((o) => part.map((v) => o + v));
  return out.map((o) => o.trim());
}

function stepName(doc: Document.Parsed, step: YNode, i: number): string {
  return scalarString(doc, mapGet(doc, step, 'id')) ?? scalarString(doc, mapGet(doc, step, 'name')) ?? `#${i}`;
}

/** Image repository without tag or digest: `ghcr.io/o/i:1@sha256:…` → `ghcr.io/o/i`. */
export function imageName(image: string): string {
  let s = image.split('@')[0];
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  return s;
}

/**
 * All values a `${{ matrix.KEY }}` (or `matrix.KEY.SUB`) can take, when the matrix is written out: the
 * `KEY:` list and every `include:` entry's KEY, followed down SUB. `value` is set for scalars; a mapping
 * (a whole container written in the matrix) comes with its node only. Undefined when any part is an
 * expression (fromJSON, inputs) or KEY is unknown.
 */
function matrixValues(doc: Document.Parsed, matrix: YNode | null, path: string[]): Array<{ value?: string; node: YNode }> | undefined {
  if (!matrix || !isMap(matrix) || !path.length) return undefined;
  const out: Array<{ value?: string; node: YNode }> = [];
  const take = (n: YNode | null): boolean => {
    for (const k of path.slice(1)) {
      if (!n) return true;
      if (!isMap(n)) return false;
      n = mapGet(doc, n, k);
    }
    if (!n) return true; // this entry has no such key: the value is empty
    if (isScalar(n)) {
      const s = scalarString(doc, n);
      if (s === undefined) return true;
      if (EXPR.test(s)) return false;
      out.push({ value: s.trim(), node: n });
      return true;
    }
    if (isMap(n)) {
      out.push({ node: n });
      return true;
    }
    return false;
  };
  const list = mapGet(doc, matrix, path[0]);
  if (list) {
    if (!isSeq(list)) return undefined;
    const items = seqItems(doc, list);
    if (!items.length) return undefined;
    for (const it of items) if (!take(it)) return undefined;
  }
  const include = mapGet(doc, matrix, 'include');
  if (include) {
    if (!isSeq(include)) return undefined;
    for (const entry of seqItems(doc, include)) {
      if (!isMap(entry)) return undefined;
      const n = mapGet(doc, entry, path[0]);
      if (n && !take(n)) return undefined;
    }
  }
  return out.length ? out : undefined;
}
