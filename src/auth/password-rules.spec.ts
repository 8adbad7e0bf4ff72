import { describe, expect, it } from '@jest/globals';

import { passwordProblem } from './password-rules.js';

describe('passwordProblem', () => {
  it.each([
    ['aaaaaaaaaaaa', 'x'],
    ['password1234', 'x'],
    ['qwertyuiop123', 'x'],
    ['Password12345!', 'x'],
  ])('refuses the guessable %s', (password, username) => {
    expect(passwordProblem(password, username)).toMatch(/^is too easy to guess: /);
  });

  it.each([
    ['officer-demo-pass', 'officer'],
    ['reciffo-12345678', 'officer'],
    ['Zhangwei-2024!x-lantern', 'zhang.wei'],
    ['OFFICER.two.rivers', 'Officer'],
  ])('refuses %s for %s: it is derived from the username', (password, username) => {
    expect(passwordProblem(password, username)).toBe('must not contain the username (forwards or backwards)');
  });

  it('refuses a short password before anything else', () => {
    expect(passwordProblem('short', 'x')).toBe('must be at least 12 characters');
  });

  it.each([
    ['password-for-tests', 'officer-1'],
    ['tests-root-password-2026', 'admin'],
    ['a-long-and-unusual-passphrase', 'zhang.wei'],
    ['correct horse battery staple', 'leader'],
  ])('accepts %s', (password, username) => {
    expect(passwordProblem(password, username)).toBeNull();
  });
});
