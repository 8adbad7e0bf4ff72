import { extensionsOf } from './evidence-type.js';

/**
 * Characters a file name never keeps: C0 and C1 controls and DEL (`\p{Cc}`), the line and paragraph
 * separators, and every Unicode bidi control — embeddings and overrides U+202A–U+202E, isolates
 * U+2066–U+2069, the marks U+200E/U+200F and U+061C — plus the invisible zero-width characters
 * (U+200B–U+200D, U+2060–U+2064, U+FEFF). A right-to-left override makes `statement\u202Efdp.bat`
 * display as "statementtab.pdf"; an invisible character makes two names look alike.
 */
const UNSAFE = /[\p{Cc}\u061C\u200B-\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;

/** A trailing `.ext` as an uploader's extension: letters and digits only, at most 10. */
const EXTENSION = /\.([A-Za-z0-9]{1,10})$/;

const MAX_LENGTH = 255;

/**
 * The name an evidence file is stored, listed and downloaded under: the uploader's name without
 * directories (either slash), controls or bidi characters, ending in an extension that fits the detected
 * media type — the uploader's own when it is one of the type's (`.jpeg` for a JPEG), otherwise the type's
 * first (`.txt` for text, `.png` for PNG bytes named `.pdf`) in place of theirs. At most 255 characters,
 * never empty. Idempotent, so it is applied again when rows stored before it are read.
 */
export function evidenceFilename(raw: string | undefined, mediaType: string): string {
  const base = (raw ?? '').split(/[/\\]/).pop()!.replace(UNSAFE, '').trim();
  const allowed = extensionsOf(mediaType);
  const given = EXTENSION.exec(base);
  const stem = (given ? base.slice(0, -given[0].length) : base).replace(/[\s.]+$/, '');
  const extension = given && allowed.includes(given[1].toLowerCase()) ? given[1] : allowed[0];
  const suffix = `.${extension}`;
  const kept = [...stem].slice(0, MAX_LENGTH - suffix.length).join('');
  return `${kept.replace(/^[\s.]+$/, '') || 'evidence'}${suffix}`;
}
