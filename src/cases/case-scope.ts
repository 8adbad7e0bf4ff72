/**
 * Case visibility as the cases folder has always imported it. The rules live in access/scope.ts, the one
 * home of "who sees what"; this file only names them for the case services.
 */
export { canSeeCase, listScope, loadVisibleCase, visibleUnitIds, withinUnit } from '../access/scope.js';
