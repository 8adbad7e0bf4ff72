import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A unit (单位) in the organisation tree. `path` is a materialised path ("/root/child/") for subtree scoping. */
@Entity('units')
export class UnitEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  @Column({ type: 'varchar', length: 2000 })
  path: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
