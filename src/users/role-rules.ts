import type { Role } from '../workflow/case-types.js';

/**
 * Why a set of roles may not be held together, or null. `admin` stands alone: administrators make no case
 * decisions (domain.md), and an admin who was also an officer or leader read every case and acted on cases
 * outside their unit (issue 16). A person who is both gets two accounts. Pure, so the directory and its
 * tests share it.
 */
export function rolesProblem(roles: readonly Role[]): string | null {
  if (roles.includes('admin') && roles.length > 1) {
    return 'admin cannot be combined with case roles (officer, leader, cadre): use a separate account';
  }
  return null;
}
