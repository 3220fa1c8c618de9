/**
 * Hides the credentials in text that leaves the client (error messages, codes, links). Only what can carry a
 * credential is replaced: the Basic credentials (`projectId:token` in base64, the Authorization value) wherever
 * they appear, and the token where it stands as a whole credential, not inside a longer run of letters and
 * digits. A token of one letter, or a common word, must not turn `example.com` into `e***ample.com`.
 */
export const REDACTED = '[redacted]';

export class CredentialRedactor {
  readonly #patterns: RegExp[];

  constructor(token: string, projectId?: string) {
    const patterns: RegExp[] = [];
    if (token) {
      if (projectId) patterns.push(literal(Buffer.from(`${projectId}:${token}`).toString('base64')));
      // A token echoed in a query string or a URL arrives percent-encoded.
      const forms = new Set([token, encodeURIComponent(token)]);
      for (const form of forms) patterns.push(wholeCredential(form));
    }
    this.#patterns = patterns;
  }

  redact(text: string): string {
    let out = text;
    for (const pattern of this.#patterns) out = out.replace(pattern, REDACTED);
    return out;
  }

  /** True when `text` shows a credential (what `redact` would replace). */
  reveals(text: string): boolean {
    return this.#patterns.some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function literal(text: string): RegExp {
  return new RegExp(escape(text), 'g');
}

/** The token not glued to further letters or digits: as a header value, a JSON string, `user:token`, `=token&`. */
function wholeCredential(text: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9])${escape(text)}(?![A-Za-z0-9])`, 'g');
}
