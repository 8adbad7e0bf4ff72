import { createSecretKey } from 'node:crypto';

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config.js';
import { AccountStates } from './account-states.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { LoginThrottle } from './login-throttle.js';
import { tokenLifetimeSeconds } from './token-lifetime.js';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig, dataSource: DataSource) => ({
        // A KeyObject, not a string: given a string, jsonwebtoken first tries createPublicKey() on every
        // verify and catches the failure, which cost a quarter of the CPU per request in `npm run bench`.
        secret: createSecretKey(Buffer.from(await resolveJwtSecret(config, dataSource), 'utf8')),
        // Seconds, as validated (auth/token-lifetime.ts), so the JWT library never re-reads the text.
        signOptions: { expiresIn: tokenLifetimeSeconds(config.JWT_EXPIRES_IN) ?? undefined, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, LoginThrottle, AccountStates, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AccountStates, AuthGuard],
})
export class AuthModule {}
