import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../auth/auth-user.js';
import { OffsetQuery, offsetPage } from '../common/paging.js';
import { uuidParam } from '../common/uuid-param.js';
import { DirectoryService } from './directory.service.js';
import { CreateUnitDto, CreateUserDto, UpdateUserDto } from './users.dto.js';
import { toUnitView, toUserView, type UnitView, type UserView } from './user-view.js';

@ApiTags('directory')
@ApiBearerAuth()
@Roles('admin')
@Controller()
export class DirectoryController {
  constructor(@Inject(DirectoryService) private readonly directory: DirectoryService) {}

  @Post('units')
  async createUnit(@Body() body: CreateUnitDto): Promise<UnitView> {
    return toUnitView(await this.directory.createUnit(body.name, body.parentId ?? null));
  }

  @Get('units')
  async listUnits(@Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<UnitView[]> {
    return (await offsetPage(reply, '/units', query, (skip, take) => this.directory.listUnits(skip, take))).map(toUnitView);
  }

  @Post('users')
  async createUser(@Body() body: CreateUserDto): Promise<UserView> {
    return toUserView(await this.directory.createUser(body));
  }

  @Get('users')
  async listUsers(@Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserView[]> {
    return (await offsetPage(reply, '/users', query, (skip, take) => this.directory.listUsers(skip, take))).map(toUserView);
  }

  @Patch('users/:id')
  async updateUser(@CurrentUser() actor: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return toUserView(await this.directory.updateUser(actor, id, body));
  }

  /** The generated password is in this answer only; the account must change it at its next login. */
  @Post('users/:id/reset-password')
  @HttpCode(200)
  async resetPassword(@Param('id', uuidParam('id')) id: string): Promise<{ user: UserView; temporaryPassword: string }> {
    const { user, temporaryPassword } = await this.directory.resetPassword(id);
    return { user: toUserView(user), temporaryPassword };
  }
}
