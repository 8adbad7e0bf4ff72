import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { Role } from '../workflow/case-types.js';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'simple-json' })
  roles: Role[];

  @Column({ name: 'unit_id', type: 'varchar', length: 36 })
  unitId: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  /** A disabled account cannot log in, and its tokens stop working. */
  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** Set by an admin's password reset: the account may only change its password until it does. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword: boolean;

  /** Written into every token as `gen`; raising it revokes every token issued before (auth/account-check.ts). */
  @Column({ name: 'token_generation', type: 'integer', default: 0 })
  tokenGeneration: number;
}
