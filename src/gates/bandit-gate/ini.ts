// Bandit's `.bandit` INI files, read the way Bandit reads them (Python's configparser, `config.items('bandit')`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { normalizePath } from './suppressions.js';

/**
 * What Bandit takes from an INI file: `utils.parse_ini_file` = `ConfigParser().read(f)` then
 * `items('bandit')`; any configparser error (no section header before the first option, a duplicate section
 * or option, no `[bandit]` section) makes Bandit ignore the WHOLE file with a warning. Keys are lower-cased
 * (`SKIPS =` is `skips`), `[DEFAULT]` options are part of `[bandit]`, `=` and `:` both delimit, full-line `#`/`;`
 * comments, indented lines continue a value. Where this emulation stops (a line that is no option, which
 * configparser reports only after reading the whole file; `%` interpolation) `sure` is false and the file is
 * taken to apply what it sets (a false alarm rather than a missed option).
 */
export interface IniRead {
  /** Bandit reads a [bandit] section from it (false: Bandit ignores the file) */
  applies: boolean;
  /** [bandit] options (DEFAULT merged), keys lower-cased, values as configparser gives them (multi-line joined) */
  options: Map<string, string>;
  sure: boolean;
}

export function readBanditIni(text: string): IniRead {
  const ignored: IniRead = { applies: false, options: new Map(), sure: true };
  const sections = new Map<string, Map<string, string[]>>();
  const defaults = new Map<string, string[]>();
  const added = new Set<string>();
  let cur: Map<string, string[]> | undefined;
  let curName = '';
  let opt: string | undefined;
  let indent = Infinity;
  let sure = true;
  // Python opens it as UTF-8 (not utf-8-sig): a BOM is part of the first line, which then is no section header
  for (const line of text.replace(/^\ufeff/, '\u0000').split(/\r\n|\n|\r/)) {
    const stripped = line.trim();
    const comment = stripped.startsWith('#') || stripped.startsWith(';');
    if (comment || stripped === '') {
      if (!comment && cur && opt) cur.get(opt)?.push('');
      continue;
    }
    const lead = /^\s*/.exec(line)![0].length;
    if (cur && opt && lead > indent) {
      cur.get(opt)!.push(stripped);
      continue;
    }
    indent = lead;
    const head = /^\[(.+)\]/.exec(stripped);
    if (head) {
      const name = head[1];
      if (name === 'DEFAULT') cur = defaults;
      else {
        if (added.has(`s:${name}`)) return ignored; // DuplicateSectionError
        added.add(`s:${name}`);
        cur = sections.get(name) ?? new Map();
        sections.set(name, cur);
      }
      curName = name;
      opt = undefined;
      continue;
    }
    if (!cur) return ignored; // MissingSectionHeaderError: a YAML `.bandit`, say
    const m = /^(.*?)\s*([=:])\s*(.*)$/.exec(stripped);
    if (!m || !m[1]) {
      // configparser's ParsingError is raised after the whole file is read: Bandit ignores it, but a line this
      // emulation does not understand is not proof of that
      sure = false;
      opt = undefined;
      continue;
    }
    const key = m[1].trimEnd().toLowerCase();
    if (added.has(`o:${curName}\u0000${key}`)) return ignored; // DuplicateOptionError
    added.add(`o:${curName}\u0000${key}`);
    opt = key;
    cur.set(key, [m[3].trim()]);
  }
  const bandit = sections.get('bandit');
  if (!bandit) return ignored; // NoSectionError
  const options = new Map<string, string>();
  for (const [k, v] of [...defaults, ...bandit]) options.set(k, v.join('\n').trimEnd());
  if ([...options.values()].some((v) => v.includes('%'))) sure = false;
  return { applies: true, options, sure };
}

/**
 * Options Bandit would take from an INI file that change what this run checks, as `key = value` strings.
 * `targets` never (the gate always names targets and Bandit's command line wins); `skips`/`exclude` only when
 * the gate passes no `-s`/`-x` (same rule); `tests` (ONLY these tests run) always; `profile`, `level`,
 * `confidence`, `baseline` (read from Bandit 1.7 on) always. Other keys (`recursive`, `format`, `output`,
 * `number`, `ignore-nosec`, …) cannot narrow a run the gate starts; unknown keys are not read.
 */
export function effectiveIniOptions(ini: IniRead, given: { skips: boolean; excludes: boolean }): string[] {
  if (!ini.applies) return [];
  const out: string[] = [];
  for (const [k, v] of ini.options) {
    if (!v) continue; // an empty value is not used
    if (['tests', 'profile', 'level', 'confidence', 'baseline'].includes(k) || (k === 'skips' && !given.skips) || (k === 'exclude' && !given.excludes)) {
      out.push(`${k} = ${v.replace(/\s*\n\s*/g, ' ')}`);
    }
  }
  return out;
}

export function readBanditIniFile(abs: string): IniRead {
  try {
    return readBanditIni(readFileSync(abs, 'utf8'));
  } catch {
    // unreadable: configparser skips a file it cannot open (Bandit ignores it)
    return { applies: false, options: new Map(), sure: false };
  }
}

/**
 * Every `.bandit` Bandit finds when no `--ini` is given, in its own way (`os.walk` of each target as given,
 * every directory, node_modules and .git included, symlinked directories listed but not entered, a file target
 * walks nothing). The same file reached through two targets is listed twice, as Bandit counts it.
 */
export function dotBanditFiles(targets: string[], cwd: string): Array<{ file: string; abs: string; atRoot: boolean }> {
  const out: Array<{ file: string; abs: string; atRoot: boolean }> = [];
  for (const t of targets) {
    const top = resolvePath(cwd, t);
    try {
      if (!statSync(top).isDirectory()) continue;
    } catch {
      continue;
    }
    const stack = [''];
    while (stack.length) {
      const rel = stack.pop()!;
      let entries;
      try {
        entries = readdirSync(join(top, rel), { withFileTypes: true });
      } catch {
        continue; // os.walk's default: unreadable directories are passed over
      }
      for (const e of entries) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        let dir = e.isDirectory();
        if (e.isSymbolicLink()) {
          try {
            dir = statSync(join(top, r)).isDirectory();
          } catch {
            dir = false; // dangling: os.walk lists it among the files
          }
          if (dir) continue; // listed as a directory, never entered
        }
        if (dir) stack.push(r);
        else if (e.name === '.bandit') out.push({ file: normalizePath(join(t, r), cwd), abs: join(top, r), atRoot: r === '.bandit' });
      }
    }
  }
  return out;
}

/** A Bandit INI file (a `[bandit]` section configparser reads) rather than YAML/TOML: Bandit reads it with `--ini`, not `-c`. */
export function isBanditIni(path: string): boolean {
  if (/\.(toml|ya?ml|json)$/i.test(path)) return false;
  return readBanditIniFile(path).applies;
}
