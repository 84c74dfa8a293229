/** Options of {@link sanitizeSql}. */
export interface SanitizeSqlOptions {
  /**
   * PostgreSQL's `standard_conforming_strings`: when true a backslash inside `'...'` is an
   * ordinary character; when false it escapes the next character (as in `E'...'`).
   * @default true
   */
  standardConformingStrings?: boolean;
  /**
   * Maximum length of the sanitized `text`, in characters; longer text is truncated (the
   * whole statement is still read for `summary` and `fingerprint`). Invalid values (not a
   * number >= 1) fall back to the default with one `diag.warn`.
   * @default 32768
   */
  maxLength?: number;
  /**
   * Collapse `IN (?, ?, ?)` lists of literals and multi-row `VALUES (...), (...)` to their
   * first element in `text`. The fingerprint ignores list length and row count either way.
   * @default true
   */
  collapseLists?: boolean;
}

/** Result of {@link sanitizeSql}. */
export interface SanitizedSql {
  /** The statement with every literal replaced by `?` and comments removed (`db.query.text`). */
  text: string;
  /** Low-cardinality `db.query.summary` (e.g. `SELECT orders customers`), at most 255 characters. */
  summary: string;
  /**
   * Stable id of the statement's shape: 16 lowercase hex characters, the same in every
   * process and version of the same major. Equal for statements that differ only in
   * literal values, whitespace, comments, letter case outside quoted identifiers (`"id"`
   * is `id`, as in PostgreSQL), IN-list length or VALUES row count; different otherwise
   * (64-bit hash: two independent 32-bit hashes per token, one per lane). A trailing `;` is
   * ignored and ORDER BY / GROUP BY ordinals (`ORDER BY 2`) count, as in pg_stat_statements.
   */
  fingerprint: string;
}
