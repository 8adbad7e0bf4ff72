import { applyDecorators } from '@nestjs/common';
import { Matches, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

/**
 * A point in time as clients write it: a date (`2026-01-07`, midnight UTC) or a date-time with seconds
 * optional and a zone (`2026-01-07T12:00Z`, `2026-01-07T20:00:00.000+08:00`). Narrower than ISO 8601 on
 * purpose: week and ordinal dates (`2026-W01`, `2026-007`) or basic format are valid ISO but JavaScript's
 * Date misreads or rejects them, and a time must say its zone.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

@ValidatorConstraint({ name: 'isRealInstant' })
class RealInstant implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      return false;
    }
    // Date rolls 2026-02-30 over into March; a calendar date must exist as written.
    const day = value.slice(0, 10);
    const midnight = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(midnight.getTime()) && midnight.toISOString().slice(0, 10) === day;
  }
  defaultMessage(): string {
    return '$property is not a real date or time';
  }
}

export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    Matches(INSTANT, { message: '$property must be a date (2026-01-07) or a date-time with a zone (2026-01-07T12:00:00Z)' }),
    Validate(RealInstant),
  );
}

/** The instant in the UTC ISO form events are stamped with, so it compares as text. */
export const toUtcIso = (instant: string): string => new Date(instant).toISOString();
