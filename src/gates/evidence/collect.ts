// Reading pipeline_run records for the bundle (and, in memory, for verification).
import type { PipelineRunRecord } from '../../core/record.js';
import { RECORD_SCHEMA } from '../../core/record.js';
import { validateRecord } from '../../core/schema.js';

export interface RecordLine {
  /** bundle-relative (or workspace-relative) file the line came from */
  file: string;
  line: number;
  record?: PipelineRunRecord;
  /** why the line is not a valid record */
  problem?: string;
}

/** Parse NDJSON bytes; every non-blank line must be a schema-valid chaingate.pipeline_run/v1 record. */
export function parseRecordLines(file: string, data: Buffer): RecordLine[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return [{ file, line: 1, problem: 'not valid UTF-8' }];
  }
  const out: RecordLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    if (raw.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      out.push({ file, line: i + 1, problem: `invalid JSON: ${(e as Error).message}` });
      continue;
    }
    if (!v || typeof v !== 'object' || (v as { schema?: unknown }).schema !== RECORD_SCHEMA) {
      out.push({ file, line: i + 1, problem: `not a ${RECORD_SCHEMA} record` });
      continue;
    }
    const problems = validateRecord(v);
    if (problems.length) {
      out.push({ file, line: i + 1, problem: `record does not match the schema: ${problems.slice(0, 3).map((p) => `${p.path || '/'} ${p.message}`).join('; ')}` });
      continue;
    }
    out.push({ file, line: i + 1, record: v as PipelineRunRecord });
  }
  return out;
}
