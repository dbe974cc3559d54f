// `actions/record`: append one pipeline_run record for an external step (a DR drill). Inputs from INPUT_*.
import * as core from '../adapters/runner-io.js';
import { writeExternalRecord } from '../commands/record.js';
import { splitList } from '../core/files.js';
import { Redactor } from '../core/redact.js';

const env = process.env;
const redactor = new Redactor();
redactor.addFromEnv(env);
try {
  const { record, path } = writeExternalRecord(
    {
      gate: core.getInput('gate'),
      outcome: core.getInput('outcome'),
      reasons: splitList(core.getInput('reasons')),
      subject: core.getInput('subject'),
      subjectDigest: core.getInput('subject-digest'),
      details: core.getInput('details').split('\n').map((s) => s.trim()).filter(Boolean),
      startedAt: core.getInput('started-at'),
      recordFile: core.getInput('record-file'),
    },
    { cwd: env.GITHUB_WORKSPACE || process.cwd(), env },
  );
  core.setOutput('record-file', path);
  core.setOutput('record-id', record.record_id);
  core.setOutput('recorded-at', record.finished_at);
  process.stdout.write(`${redactor.redact(`recorded ${record.gate} ${record.outcome} (${record.reasons.join(', ')}) at ${record.finished_at} → ${path}`)}\n`);
} catch (e) {
  process.stdout.write(`::error title=chaingate record::${redactor.redact((e as Error).message).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  process.exitCode = 2;
}
