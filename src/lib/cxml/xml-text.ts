/**
 * Text that goes into cXML. Escaped for XML (`&`, `<`, `>`, `"`, `'`), with tabs, line breaks, U+2028 and U+2029
 * written as character references, which a parser would otherwise fold: it reads back exactly as given, in text
 * and in attributes alike. What XML cannot carry at all is refused before anything is written: control characters
 * (a parser refuses most of them), lone surrogates, U+FFFE and U+FFFF.
 */

const UNWRITABLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
  /[\u0000-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
  // Line ends to a parser that reads XML 1.1 ways: written as references, they stay what they are.
  '\u2028': '&#8232;',
  '\u2029': '&#8233;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\t\n\r\u2028\u2029]/g, (c) => ENTITIES[c]!);
}

/** The first character XML cannot carry as it is, or undefined when every one can. */
export function unwritableCharacter(text: string): string | undefined {
  return UNWRITABLE.exec(text)?.[0];
}
