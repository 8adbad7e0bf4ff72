import { readFileSync } from 'node:fs';

import { checkDossier } from './check-dossier.js';

export const USAGE =
  'usage: npm run verify-dossier -- <dossier.json> [evidence files…] [--proof <checkpoint-proof.json> --root <trusted root>]';

export interface CliResult {
  /** 0: the dossier checks out; 1: a problem was found; 2: the command was used wrongly or a file is unreadable */
  code: 0 | 1 | 2;
  lines: string[];
}

/** The offline verifier's whole behaviour, as a function of its arguments (the entry point only prints). */
export function runVerifyDossier(args: readonly string[], read: (path: string) => Buffer = readFileSync): CliResult {
  const options = parseArgs(args);
  if (!options) {
    return { code: 2, lines: [USAGE] };
  }
  const { dossierPath, evidencePaths, proofPath, trustedRoot } = options;
  let raw: unknown;
  let files;
  let proof: unknown;
  try {
    raw = JSON.parse(read(dossierPath).toString('utf8'));
    files = evidencePaths.map((name) => ({ name, bytes: read(name) }));
    proof = proofPath === undefined ? undefined : JSON.parse(read(proofPath).toString('utf8'));
  } catch (error) {
    return { code: 2, lines: [`cannot read ${(error as { path?: string }).path ?? dossierPath}: ${(error as Error).message}`] };
  }
  const report = checkDossier(raw, files, proofPath === undefined || trustedRoot === undefined ? undefined : { proof, trustedRoot });
  if (!report.ok) {
    return {
      code: 1,
      lines: [`INVALID ${dossierPath}: ${report.problems[0]}`, ...report.problems.slice(1).map((problem) => `  also: ${problem}`)],
    };
  }
  return {
    code: 0,
    lines: [
      `OK ${dossierPath}: case ${report.caseId}, ${report.events} events — chain intact, replay matches the case, evidence list matches the events` +
        (report.filesChecked > 0 ? `, ${report.filesChecked} file(s) match their SHA-256` : '') +
        (report.anchored ? `, events up to seq ${report.anchored.seq} are in the checkpoint of ${report.anchored.at}` : ''),
    ],
  };
}

function parseArgs(args: readonly string[]) {
  const positional: string[] = [];
  let proofPath: string | undefined;
  let trustedRoot: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--proof' || arg === '--root') {
      const value = args[++i];
      if (value === undefined) {
        return null;
      }
      if (arg === '--proof') {
        proofPath = value;
      } else {
        trustedRoot = value;
      }
    } else if (arg.startsWith('-')) {
      return null;
    } else {
      positional.push(arg);
    }
  }
  const [dossierPath, ...evidencePaths] = positional;
  // A proof means something only against a root kept elsewhere: the two go together.
  if (!dossierPath || (trustedRoot === undefined) !== (proofPath === undefined)) {
    return null;
  }
  return { dossierPath, evidencePaths, proofPath, trustedRoot };
}
