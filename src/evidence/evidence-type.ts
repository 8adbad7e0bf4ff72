import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';

/**
 * Which files a case accepts as evidence, decided by their content (magic bytes), never by their name or
 * the Content-Type the client sent: a `.pdf` holding PNG bytes is stored as image/png, an executable
 * renamed `.pdf` is refused. Macro-enabled Office formats, archives, executables, HTML/SVG (script) and
 * everything file-type does not know are refused; text is accepted only as UTF-8.
 */
export const ALLOWED_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/tiff',
  'image/heic',
  // Office Open XML (file-type looks inside the zip)
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  // legacy .doc/.xls/.ppt: an OLE compound file, which file-type does not tell apart
  'application/x-cfb',
  // OpenDocument (WPS and LibreOffice save these)
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
]);

export const PLAIN_TEXT = 'text/plain; charset=utf-8';

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
    return ALLOWED_MEDIA_TYPES.has(detected.mime) ? { allowed: true, mediaType: detected.mime } : { allowed: false, detected: detected.mime };
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
