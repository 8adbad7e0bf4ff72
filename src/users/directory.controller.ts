import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth-user.js';
import { DirectoryService } from './directory.service.js';
import { CreateUnitDto, CreateUserDto } from './users.dto.js';
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
  async listUnits(): Promise<UnitView[]> {
    return (await this.directory.listUnits()).map(toUnitView);
  }

  @Post('users')
  async createUser(@Body() body: CreateUserDto): Promise<UserView> {
    return toUserView(await this.directory.createUser(body));
  }

  @Get('users')
  async listUsers(): Promise<UserView[]> {
    return (await this.directory.listUsers()).map(toUserView);
  }
}
