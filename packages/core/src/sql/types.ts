/** Options of {@link sanitizeSql}. */
export interface SanitizeSqlOptions {
  /**
   * PostgreSQL's `standard_conforming_strings`: when true a backslash inside `'...'` is an
   * ordinary character; when false it escapes the next character (as in `E'...'`).
   * @default true
   */
  standardConformingStrings?: boolean;
  /**
   * Maximum length of the sanitized `text`, in characters; longer text is truncated.
   * @default 32768
   */
  maxLength?: number;
  /**
   * Collapse `IN (?, ?, ?)` lists and multi-row `VALUES (...), (...)` to one element.
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
  /** Short stable hex id of the statement's shape (16 hex characters). */
  fingerprint: string;
}
