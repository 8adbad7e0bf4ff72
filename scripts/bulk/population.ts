import type { Role } from '../../src/workflow/case-types.js';
import { CITY_NAMES, countyName, personName } from './names.js';
import type { Rng } from './rng.js';

/** The password of every seeded user (public, like the demo ones: never seed a production database). */
export const BULK_PASSWORD = 'bulk-seed-password';

export type UnitLevel = 'province' | 'city' | 'county';

export interface SeedUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string;
}

export interface SeedUnit {
  id: string;
  name: string;
  parentId: string;
  path: string;
  level: UnitLevel;
  officers: SeedUser[];
  leaders: SeedUser[];
  cadres: SeedUser[];
  /** how many cases land here relative to other counties (a few big counties, many small ones) */
  weight: number;
}

export interface Population {
  prefix: string;
  province: SeedUnit;
  cities: SeedUnit[];
  counties: SeedUnit[];
  /** the city and province above each county */
  parentOf: Map<string, SeedUnit>;
  admin: SeedUser;
}

export interface PopulationOptions {
  prefix: string;
  rootId: string;
  rootPath: string;
  cities: number;
  countiesPerCity: [min: number, max: number];
  cadresPerCounty: [min: number, max: number];
}

const STAFF: Record<UnitLevel, { officers: number; leaders: number }> = {
  province: { officers: 3, leaders: 3 },
  city: { officers: 4, leaders: 4 },
  county: { officers: 5, leaders: 4 },
};

/**
 * A province → cities → counties tree with officers and leaders in every unit and cadres in the
 * counties. Pure: ids and names come from `rng`; nothing is written here.
 */
export function generatePopulation(rng: Rng, options: PopulationOptions): Population {
  const { prefix } = options;
  const users = (unit: SeedUnit, role: Role, count: number, tag: string): SeedUser[] =>
    Array.from({ length: count }, (_, i) => ({
      id: rng.uuid(),
      username: `${tag}.${role}${i + 1}`,
      displayName: personName(rng),
      roles: [role],
      unitId: unit.id,
    }));
  const unit = (name: string, parent: { id: string; path: string }, level: UnitLevel, tag: string, cadres: number): SeedUnit => {
    const id = rng.uuid();
    const created: SeedUnit = {
      id,
      name,
      parentId: parent.id,
      path: `${parent.path}${id}/`,
      level,
      officers: [],
      leaders: [],
      cadres: [],
      weight: 1,
    };
    created.officers = users(created, 'officer', STAFF[level].officers, tag);
    created.leaders = users(created, 'leader', STAFF[level].leaders, tag);
    created.cadres = users(created, 'cadre', cadres, tag);
    return created;
  };

  const province = unit('江南省纪委监委', { id: options.rootId, path: options.rootPath }, 'province', prefix, 0);
  const cities: SeedUnit[] = [];
  const counties: SeedUnit[] = [];
  const parentOf = new Map<string, SeedUnit>();
  let countyIndex = 0;
  for (let c = 0; c < options.cities; c++) {
    const cityTag = `${prefix}.c${String(c + 1).padStart(2, '0')}`;
    const city = unit(`${CITY_NAMES[c % CITY_NAMES.length]}市`, province, 'city', cityTag, 0);
    parentOf.set(city.id, province);
    cities.push(city);
    const count = rng.int(...options.countiesPerCity);
    for (let k = 0; k < count; k++) {
      const county = unit(
        countyName(rng, countyIndex++),
        city,
        'county',
        `${cityTag}.k${String(k + 1).padStart(2, '0')}`,
        rng.int(...options.cadresPerCounty),
      );
      // Zipf-like: a few counties see many more cases than most.
      county.weight = 1 / (1 + (rng.next() * 4) ** 2);
      parentOf.set(county.id, city);
      counties.push(county);
    }
  }
  const admin: SeedUser = {
    id: rng.uuid(),
    username: `${prefix}.admin`,
    displayName: '系统管理员',
    roles: ['admin'],
    unitId: options.rootId,
  };
  return { prefix, province, cities, counties, parentOf, admin };
}

export function allUnits(population: Population): SeedUnit[] {
  return [population.province, ...population.cities, ...population.counties];
}

export function allUsers(population: Population): SeedUser[] {
  return [population.admin, ...allUnits(population).flatMap((u) => [...u.officers, ...u.leaders, ...u.cadres])];
}
