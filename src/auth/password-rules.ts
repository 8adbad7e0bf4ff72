import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * zxcvbn's score 3: about 10^8–10^10 guesses. With argon2id hashing that is out of reach of an online
 * attacker (the login limits) and costly offline; score 2 passes `password1234`-like variations.
 */
const MIN_SCORE = 3;

/** Built on first use: loading the dictionaries (30,000 common passwords, English words, names) takes ~0.7 s. */
let estimator: ZxcvbnFactory | null = null;
function strength(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    maxLength: PASSWORD_MAX_LENGTH,
  });
  return estimator;
}

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
const reversed = (text: string) => [...text].reverse().join('');

/**
 * Why `password` may not be the password of `username`, or null. Refused: shorter than 12 characters;
 * the username in it, forwards or backwards, ignoring case and punctuation (`Zhang.Wei` in
 * `zhangwei-2024!`), or it inside the username; and whatever zxcvbn (the maintained TypeScript port of
 * Dropbox's estimator) judges guessable — common passwords and their variations, repeats (`aaaaaaaaaaaa`),
 * keyboard walks, dictionary words with digits. Every path that sets a password calls it: the first admin
 * (ADMIN_PASSWORD), user creation, POST /me/password.
 */
export function passwordProblem(password: string, username: string, otherInputs: string[] = []): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  }
  const name = letters(username);
  const word = letters(password);
  if (name.length >= 3 && (word.includes(name) || word.includes(reversed(name)) || (word.length > 0 && name.includes(word)))) {
    return 'must not contain the username (forwards or backwards)';
  }
  const result = strength().check(password, [username, ...otherInputs]);
  if (result.score < MIN_SCORE) {
    const why = result.feedback.warning ?? 'it is too easy to guess';
    return `is too easy to guess: ${why.replace(/\.$/, '').toLowerCase()}; a few unrelated words make a strong password`;
  }
  return null;
}
