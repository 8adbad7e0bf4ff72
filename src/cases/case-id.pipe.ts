import { uuidParam } from '../common/uuid-param.js';

export const caseIdPipe = uuidParam('id');
export const actionIdPipe = uuidParam('actionId');
