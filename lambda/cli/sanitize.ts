// Text from the API, SES or a history file reaches the terminal. An ESC or C1 byte in a nickname
// or an error message could recolour, retitle or rewrite the user's terminal, so nothing the CLI
// prints may carry one (nor a bidi override that would reorder what the user reads).
import { withoutControls } from '../core/api-text';

/** Every C0/C1 control character (newlines included) becomes a space; bidi and zero-width marks go. */
export function stripControls(text: string): string {
  return withoutControls(text);
}

/** One line for a message: line breaks fold into one space, any other control becomes a space. */
export function oneLine(text: string): string {
  return stripControls(text.replace(/\s*[\r\n]+\s*/g, ' ')).trim();
}

/**
 * JSON text with DEL and C1 written as \u escapes. JSON.stringify already escapes C0 but leaves
 * U+007F-U+009F raw; the escaped form parses back to the very same strings.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JSON's UTF-8 with DEL and C1 escaped (escapeJsonControls), looked for in the bytes: DEL is 7F and
 * every C1 control is C2 80-9F, and a byte search is far cheaper than a pass over a 20 MB string.
 * Only JSON that holds one is decoded, escaped and encoded again.
 */
export function jsonBytes(json: Buffer): Buffer {
  return hasRawControl(json) ? Buffer.from(escapeJsonControls(json.toString('utf8'))) : json;
}

function hasRawControl(bytes: Buffer): boolean {
  if (bytes.indexOf(0x7f) !== -1) return true;
  // C2 is only ever a lead byte in UTF-8, so each hit starts a character.
  for (let at = bytes.indexOf(0xc2); at !== -1; at = bytes.indexOf(0xc2, at + 1)) {
    if (bytes[at + 1] <= 0x9f) return true;
  }
  return false;
}
