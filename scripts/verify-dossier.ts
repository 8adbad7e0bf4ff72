/** `npm run verify-dossier -- <dossier.json> [evidence files…]`: checks a case dossier offline. */
import { runVerifyDossier } from '../src/dossier/verify-dossier-cli.js';

const { code, lines } = runVerifyDossier(process.argv.slice(2));
for (const line of lines) {
  (code === 0 ? process.stdout : process.stderr).write(`${line}\n`);
}
process.exitCode = code;
