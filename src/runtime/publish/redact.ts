/**
 * Remembers secret values (passwords, tokens) and blanks them out of any text
 * before it reaches a log line or an error message.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  remember(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join('[redacted]');
    return result;
  }
}
