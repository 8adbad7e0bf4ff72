import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOptional } from 'class-validator';
import { ROLES, type Role } from '../workflow/case-types.js';

export class CreateUnitDto {
  @ApiProperty({ example: 'County Discipline Inspection Commission' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{3,100}$/, { message: 'username must be 3-100 letters, digits, dots, dashes or underscores' })
  username: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: '张伟' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  unitId: string;
}
