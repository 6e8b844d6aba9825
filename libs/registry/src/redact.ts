/** The secrets a client has seen (passwords, tokens), to scrub them from any text it emits. */
export interface Redactor {
  /** Remembers secrets to scrub from now on. */
  add(...secrets: readonly string[]): void;
  /** `text` with every remembered secret replaced by `***`. */
  redact(text: string): string;
}

/** A new, empty {@link Redactor}; one per client. */
export function createRedactor(): Redactor {
  const secrets = new Set<string>();
  return {
    add: (...more) => more.forEach((secret) => secrets.add(secret)),
    redact: (text) => redact(text, [...secrets]),
  };
}

/** `text` with every secret of at least 4 characters replaced by `***`. Pure. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
