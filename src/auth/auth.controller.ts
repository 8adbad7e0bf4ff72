import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { ErrorBodyResponse } from '../common/dto/error-body.response.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { AuthService, type LoginResult } from './auth.service.js';
import { AllowedBeforePasswordChange, type AuthUser, CurrentUser, Public } from './auth-user.js';
import { LoginResponse } from './dto/login.response.js';
import { ChangePasswordDto, LoginDto } from './login.dto.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  /** `request.ip`: the TCP peer, or what a proxy named in TRUST_PROXY says (configure-app.ts). */
  @ApiOperation({ operationId: 'login', summary: 'Log in: a bearer token and who it is for' })
  @ApiOk({ type: LoginResponse })
  @ApiErrors(400, 413, 429)
  @ApiResponse({ status: 401, description: 'wrong username or password, or a disabled account', type: ErrorBodyResponse })
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<LoginResult> {
    return this.auth.login(body.username, body.password, request.ip);
  }

  @ApiOperation({ operationId: 'logout', summary: 'Log out: the token sent stops working at once' })
  @ApiResponse({ status: 204, description: 'logged out' })
  @ApiErrors(401)
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.auth.logout(user);
  }

  @ApiOperation({ operationId: 'changePassword', summary: 'Change your password: a new token, the older ones stop working' })
  @ApiOk({ type: LoginResponse })
  @ApiErrors(400, 401, 413, 422, 429)
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @Post('me/password')
  @HttpCode(200)
  changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest): Promise<LoginResult> {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword, request.ip);
  }
}
