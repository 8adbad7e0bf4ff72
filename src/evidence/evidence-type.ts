import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';

export const PLAIN_TEXT = 'text/plain; charset=utf-8';

/**
 * Which files a case accepts as evidence, decided by their content (magic bytes), never by their name or
 * the Content-Type the client sent: a `.pdf` holding PNG bytes is stored as image/png, an executable
 * renamed `.pdf` is refused. Macro-enabled Office formats, archives, executables, HTML/SVG (script) and
 * everything file-type does not know are refused; text is accepted only as UTF-8.
 *
 * Each accepted type lists the file-name extensions it may carry, the first being the one given when the
 * uploader's does not fit (evidence-filename.ts): the name a file downloads under follows its content, so
 * text named `.bat`, `.hta`, `.js` or `.url` downloads as `.txt` and cannot run when opened.
 */
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/tiff': ['tif', 'tiff'],
  'image/heic': ['heic'],
  // Office Open XML (file-type looks inside the zip)
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  // legacy .doc/.xls/.ppt: an OLE compound file, which file-type does not tell apart (nor from an .msi
  // installer, which is one too: hence the list, never the uploader's extension as such)
  'application/x-cfb': ['doc', 'xls', 'ppt'],
  // OpenDocument (WPS and LibreOffice save these)
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  [PLAIN_TEXT]: ['txt'],
};

export const ALLOWED_MEDIA_TYPES: ReadonlySet<string> = new Set(Object.keys(EXTENSIONS).filter((type) => type !== PLAIN_TEXT));

/** The extensions a stored media type may be named with (lower case, without the dot); `bin` for an unknown one. */
export function extensionsOf(mediaType: string): readonly string[] {
  return Object.hasOwn(EXTENSIONS, mediaType) ? EXTENSIONS[mediaType] : ['bin'];
}

export type ContentVerdict = { allowed: true; mediaType: string } | { allowed: false; detected: string };

/**
 * Follows a file's bytes as they stream by and tells whether the whole file is UTF-8 text without NUL
 * bytes. Stops decoding at the first invalid byte, so a binary file costs almost nothing.
 */
export class Utf8TextCheck {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private valid = true;

  push(chunk: Uint8Array): void {
    if (!this.valid) {
      return;
    }
    if (chunk.includes(0)) {
      this.valid = false;
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  /** True when every byte pushed was UTF-8 text (a sequence cut off at the end is not). */
  end(): boolean {
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return this.valid;
  }
}

/** The rule itself, without I/O: what file-type found (if anything) and whether the bytes are text. */
export function judgeContent(detected: { mime: string } | undefined, isUtf8Text: boolean): ContentVerdict {
  if (detected) {
    return ALLOWED_MEDIA_TYPES.has(detected.mime)
      ? { allowed: true, mediaType: detected.mime }
      : { allowed: false, detected: detected.mime };
  }
  return isUtf8Text ? { allowed: true, mediaType: PLAIN_TEXT } : { allowed: false, detected: 'unrecognised binary data' };
}

/** Judges a file on disk; `isUtf8Text` comes from a Utf8TextCheck that saw the whole file as it was written. */
export async function judgeFile(path: string, isUtf8Text: boolean): Promise<ContentVerdict> {
  return judgeContent(await fileTypeFromFile(path), isUtf8Text);
}

/** Judges bytes in memory (tests, small inputs). */
export async function judgeBytes(bytes: Uint8Array): Promise<ContentVerdict> {
  const text = new Utf8TextCheck();
  text.push(bytes);
  return judgeContent(await fileTypeFromBuffer(bytes), text.end());
}
