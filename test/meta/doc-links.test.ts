// Relative links in README.md and docs/*.md (docs/decisions included) point at files that exist, and their
// #anchors at headings that exist (GitHub's heading slugs), so a renamed heading or file cannot leave dead links.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../helpers/runner.js';

const md = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.md')).map((f) => `${dir}/${f}`);
const PAGES = ['README.md', ...md('docs'), ...md('docs/decisions')];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes, -1, -2 … for repeats */
function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = page.replace(/```[\s\S]*?```/g, '');
  for (const m of text.matchAll(/^#{1,6} +(.*?) *#*$/gm)) {
    const base = m[1].toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

function problems(page: string, text: string): string[] {
  const out: string[] = [];
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  for (const m of prose.matchAll(/\]\(([^)\s]*)\)/g)) {
    const link = m[1];
    if (/^[a-z]+:/i.test(link) || link.startsWith('<')) continue; // https:, mailto:, placeholders
    const [path, anchor] = link.split('#');
    const target = path ? join(dirname(page), path) : page;
    if (path && !existsSync(join(ROOT, target))) {
      out.push(`${page}: ${link}: no such file`);
      continue;
    }
    const targetText = path ? readFileSync(join(ROOT, target), 'utf8') : text;
    if (anchor && target.endsWith('.md') && !anchors(targetText).has(anchor)) out.push(`${page}: ${link}: no such heading`);
  }
  return out;
}

describe('links in the docs resolve', () => {
  for (const page of PAGES) {
    it(page, () => {
      expect(problems(page, readFileSync(join(ROOT, page), 'utf8'))).toEqual([]);
    });
  }
  it('the check itself catches a dead anchor and a dead file (true positive)', () => {
    const page = '# What cosign\'s output must show (mode: cosign)\n\n[a](#what-cosigns-output-must-show-mode-cosign) [b](#what-cosigns-output-must-show) [c](nope.md)\n';
    expect(problems('docs/x.md', page)).toEqual(['docs/x.md: #what-cosigns-output-must-show: no such heading', 'docs/x.md: nope.md: no such file']);
  });
});
