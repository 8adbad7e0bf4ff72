import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { ApiErrors, ApiOk, NEXT_CURSOR_HEADERS } from '../common/openapi-decorators.js';
import { offsetPage, OffsetQuery } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import { DirectoryService } from './directory.service.js';
import { PasswordResetResponse, UnitResponse, UserResponse } from './dto/user-view.response.js';
import { toUnitView, toUserView, type UnitView, type UserView } from './user-view.js';
import { CreateUnitDto, CreateUserDto, UpdateUserDto } from './users.dto.js';

@ApiTags('directory')
@ApiBearerAuth()
@Roles('admin')
@Controller()
export class DirectoryController {
  constructor(@Inject(DirectoryService) private readonly directory: DirectoryService) {}

  @ApiOperation({ operationId: 'createUnit', summary: 'Create a unit (top-level without `parentId`)' })
  @ApiResponse({ status: 201, type: UnitResponse })
  @ApiErrors(400, 401, 403, 413, 422)
  @Post('units')
  @Idempotent()
  async createUnit(@Body() body: CreateUnitDto): Promise<UnitView> {
    return toUnitView(await this.directory.createUnit(body.name, body.parentId ?? null));
  }

  @ApiOperation({ operationId: 'listUnits', summary: 'The units, parents before children' })
  @ApiOk({ type: [UnitResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403)
  @Get('units')
  async listUnits(@Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<UnitView[]> {
    return (await offsetPage(reply, '/units', query, (skip, take) => this.directory.listUnits(skip, take))).map(toUnitView);
  }

  @ApiOperation({ operationId: 'createUser', summary: 'Create an account' })
  @ApiResponse({ status: 201, type: UserResponse })
  @ApiErrors(400, 401, 403, 409, 413, 422)
  @Post('users')
  @Idempotent()
  async createUser(@Body() body: CreateUserDto): Promise<UserView> {
    return toUserView(await this.directory.createUser(body));
  }

  @ApiOperation({ operationId: 'listUsers', summary: 'The accounts, by username (never a hash)' })
  @ApiOk({ type: [UserResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403)
  @Get('users')
  async listUsers(@Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserView[]> {
    return (await offsetPage(reply, '/users', query, (skip, take) => this.directory.listUsers(skip, take))).map(toUserView);
  }

  @ApiOperation({ operationId: 'updateUser', summary: 'Change an account’s roles, unit, name or disabled flag' })
  @ApiOk({ type: UserResponse })
  @ApiErrors(400, 401, 403, 404, 413, 422)
  @Patch('users/:id')
  async updateUser(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return toUserView(await this.directory.updateUser(actor, id, body));
  }

  /** The generated password is in this answer only; the account must change it at its next login. */
  @ApiOperation({ operationId: 'resetPassword', summary: 'Reset an account’s password to a generated one it must change' })
  @ApiOk({ type: PasswordResetResponse })
  @ApiErrors(400, 401, 403, 404)
  @Post('users/:id/reset-password')
  @HttpCode(200)
  async resetPassword(@Param('id', uuidParam('id')) id: string): Promise<{ user: UserView; temporaryPassword: string }> {
    const { user, temporaryPassword } = await this.directory.resetPassword(id);
    return { user: toUserView(user), temporaryPassword };
  }
}
