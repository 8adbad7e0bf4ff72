import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AllowedBeforePasswordChange, type AuthUser, CurrentUser, Public } from './auth-user.js';
import { AuthService, type LoginResult } from './auth.service.js';
import { ChangePasswordDto, LoginDto } from './login.dto.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  /** `request.ip`: the TCP peer, or what a proxy named in TRUST_PROXY says (configure-app.ts). */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, request.ip);
  }

  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @Post('me/password')
  @HttpCode(200)
  changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest): Promise<LoginResult> {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword, request.ip);
  }
}
