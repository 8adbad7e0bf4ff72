import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { type Role, ROLES } from '../../workflow/case-types.js';
import type { CadreView } from '../cadres.controller.js';
import type { UnitView, UserView } from '../user-view.js';

/* The schemas of the directory's answers; each class implements the view type the controller returns. */

@ApiSchema({ name: 'User' })
export class UserResponse implements UserView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'zhang.wei' }) username: string;
  @ApiProperty({ example: '张伟' }) displayName: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', isArray: true }) roles: Role[];
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'a disabled account cannot log in and its tokens do not work' }) disabled: boolean;
  @ApiProperty({ description: 'its password was reset: it must be changed before anything else' }) mustChangePassword: boolean;
}

@ApiSchema({ name: 'Unit' })
export class UnitResponse implements UnitView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '发展和改革委员会' }) name: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a top-level unit' }) parentId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

@ApiSchema({ name: 'Cadre' })
export class CadreResponse implements CadreView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
}

@ApiSchema({ name: 'PasswordReset' })
export class PasswordResetResponse {
  @ApiProperty({ type: UserResponse }) user: UserView;
  @ApiProperty({ description: 'shown only in this answer; the account must change it at its next login' }) temporaryPassword: string;
}
