/** Error text without values: only the error's class and code (driver messages can hold row data). */
export function errorText(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string };
  if (e && typeof e.message === 'string' && e.message.startsWith('RedisStore:')) return e.message;
  return `${e?.name ?? 'Error'}${e?.code ? ` (${e.code})` : ''}`;
}
