import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (OWASP-recommended memory and time cost). */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so response time does not reveal which usernames exist. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('not-a-real-password-but-costs-the-same');
  return dummyHash;
}
