// Go-compatible semantic versions (golang.org/x/mod/semver), the dialect slsa-verifier uses:
// `vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]`, no leading zeros, prerelease/build only after a full patch.

export interface SemVer {
  major: string;
  /** undefined when the version was written as `vX` */
  minor?: string;
  /** undefined when the version was written as `vX` or `vX.Y` */
  patch?: string;
  prerelease: string;
  build: string;
}

const NUM = '(0|[1-9][0-9]*)';
const IDENT = '[0-9A-Za-z-]+';
const RE = new RegExp(`^v${NUM}(?:\\.${NUM}(?:\\.${NUM}(-${IDENT}(?:\\.${IDENT})*)?(\\+${IDENT}(?:\\.${IDENT})*)?)?)?$`);

export function parseSemver(v: string): SemVer | undefined {
  const m = RE.exec(v);
  if (!m) return undefined;
  const pre = m[4] ?? '';
  // numeric prerelease identifiers must not have leading zeros
  if (pre && pre.slice(1).split('.').some((id) => /^[0-9]+$/.test(id) && id.length > 1 && id.startsWith('0'))) return undefined;
  return { major: m[1], minor: m[2], patch: m[3], prerelease: pre, build: m[5] ?? '' };
}

/** A plain release tag `vX.Y.Z` (no prerelease, no build): what slsa-verifier accepts as a builder version. */
export function isPlainReleaseTag(v: string): boolean {
  const s = parseSemver(v);
  return !!s && s.patch !== undefined && !s.prerelease && !s.build;
}

/**
 * slsa-verifier's `--source-versioned-tag` rule: the major must be equal; the minor and patch only when the
 * expected version names them; with a patch, the prerelease must be equal too (none for none); build
 * metadata only when the expected version has it.
 * Returns undefined when compatible, else why not.
 */
export function versionedTagMismatch(provenanceTag: string, expected: string): string | undefined {
  const p = parseSemver(provenanceTag);
  if (!p) return `tag "${provenanceTag}" in the provenance is not a semantic version`;
  const e = parseSemver(expected);
  if (!e) return `expected version "${expected}" is not a semantic version`;
  if (p.major !== e.major) return `major version of ${provenanceTag} is not v${e.major}`;
  if (e.minor !== undefined && p.minor !== e.minor) return `minor version of ${provenanceTag} is not ${e.major}.${e.minor}`;
  if (e.patch !== undefined && p.patch !== e.patch) return `patch version of ${provenanceTag} is not ${e.major}.${e.minor}.${e.patch}`;
  // the prerelease is part of the patch (as slsa-verifier compares it): a full expected version vX.Y.Z is not
  // met by its release candidate vX.Y.Z-rc.1, and vX.Y.Z-rc.1 only by itself
  if (e.patch !== undefined && p.prerelease !== e.prerelease) return `prerelease of ${provenanceTag} is not ${e.prerelease || '(none)'}`;
  if (e.build && p.build !== e.build) return `build metadata of ${provenanceTag} is not ${e.build}`;
  return undefined;
}
