import type { DataSource } from 'typeorm';

/**
 * The `service_settings` table (key → value). Read and written while the modules are being built, before
 * the unit of work serves anything, hence on the data source itself.
 */
export class ServiceSettingsRepository {
  /** The first instance to insert a key wins; later inserts of it change nothing. */
  static async insertIfAbsent(dataSource: DataSource, key: string, value: string): Promise<void> {
    const insert = dataSource.options.type === 'postgres' ? '$1, $2' : '?, ?';
    await dataSource.query(`INSERT INTO service_settings (key, value) VALUES (${insert}) ON CONFLICT (key) DO NOTHING`, [key, value]);
  }

  static async valueOf(dataSource: DataSource, key: string): Promise<string | undefined> {
    const select = dataSource.options.type === 'postgres' ? '$1' : '?';
    const rows = await dataSource.query<Array<{ value: string }>>(`SELECT value FROM service_settings WHERE key = ${select}`, [key]);
    return rows[0]?.value;
  }
}
