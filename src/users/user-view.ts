import type { Role } from '../workflow/case-types.js';
import type { UnitEntity } from './unit.entity.js';
import type { UserEntity } from './user.entity.js';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string;
  createdAt: string;
  /** a disabled account cannot log in and its tokens do not work */
  disabled: boolean;
  /** its password was reset by an admin: it must be changed before anything else */
  mustChangePassword: boolean;
}

export interface UnitView {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

/** Never includes the password hash. */
export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    unitId: user.unitId,
    createdAt: user.createdAt,
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
  };
}

export function toUnitView(unit: UnitEntity): UnitView {
  return { id: unit.id, name: unit.name, parentId: unit.parentId, createdAt: unit.createdAt };
}
