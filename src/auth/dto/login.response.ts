import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { type Role, ROLES } from '../../workflow/case-types.js';
import type { LoginResult } from '../auth.service.js';

@ApiSchema({ name: 'SessionUser' })
export class SessionUserResponse implements Readonly<LoginResult['user']> {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role', isArray: true }) roles: Role[];
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ description: 'true: only `POST /me/password` (and logout) work until the password is changed' })
  mustChangePassword: boolean;
}

@ApiSchema({ name: 'Login' })
export class LoginResponse implements LoginResult {
  @ApiProperty({ description: 'send as `Authorization: Bearer <accessToken>`' }) accessToken: string;
  @ApiProperty({ type: SessionUserResponse }) user: SessionUserResponse;
}
