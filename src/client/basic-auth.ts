// HTTP Basic credentials without Node-only APIs (no Buffer): UTF-8 bytes, then base64.

/** The `Authorization` header value for a username and password (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
