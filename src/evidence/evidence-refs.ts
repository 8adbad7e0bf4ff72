/**
 * A case's evidence rows are read and written by EvidenceRepository (repositories/evidence.repository.ts).
 * This name stays for its callers in cases/ and evidence.service.ts (whose command code others are reshaping) until they
 * import the repository themselves.
 */
export { EvidenceRepository as EvidenceRefs } from '../repositories/evidence.repository.js';
