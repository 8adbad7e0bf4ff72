/*
 * The materialised unit path (`/root-id/…/unit-id/`, every ancestor listed) and what it says about reach.
 * Pure: the workflow's access rule (case-access.ts) and the scope provider (access/scope.ts) both read reach from here.
 */

/** The path of a new unit: its parent's path (a root's is `/`) followed by its own id. */
export const childPath = (parentPath: string | null, id: string): string => `${parentPath ?? '/'}${id}/`;

/** Whether the unit with this path is `reachUnitId` or lies below it. */
export const pathReaches = (path: string, reachUnitId: string): boolean => path.includes(`/${reachUnitId}/`);

/** The ids a path names, root first: the unit and every unit above it. */
export const pathUnitIds = (path: string): string[] => path.split('/').filter(Boolean);
