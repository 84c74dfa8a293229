import { isIdentCont, isIdentStart } from './stripSql';

/**
 * PostgreSQL built-in functions (and type names used as casts) known to change no table
 * data. Any other function a statement calls (a user function, a PL/pgSQL procedure, an
 * extension's function) may write to any table, directly or through triggers, so a raw
 * query calling one invalidates everything. Keep this list to functions of `pg_catalog`:
 * an unqualified name resolves there first.
 */
export const READ_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    // aggregates and window functions
    'count sum avg min max array_agg string_agg json_agg jsonb_agg json_object_agg jsonb_object_agg bool_and bool_or every ' +
    'bit_and bit_or bit_xor stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp mode ' +
    'percentile_cont percentile_disc rank dense_rank row_number ntile lag lead first_value last_value nth_value cume_dist ' +
    'percent_rank grouping regr_slope regr_intercept regr_count regr_r2 regr_avgx regr_avgy xmlagg range_agg ' +
    // conditional, comparison
    'coalesce nullif greatest least num_nulls num_nonnulls ' +
    // strings
    'lower upper initcap length char_length character_length octet_length bit_length concat concat_ws substring substr ' +
    'trim btrim ltrim rtrim lpad rpad replace position strpos split_part left right reverse repeat format to_char ' +
    'to_number to_date to_timestamp md5 sha224 sha256 sha384 sha512 encode decode translate regexp_replace regexp_match ' +
    'regexp_matches regexp_split_to_array regexp_split_to_table regexp_like regexp_count regexp_instr regexp_substr ' +
    'starts_with ascii chr quote_ident quote_literal quote_nullable overlay normalize unistr string_to_array ' +
    'string_to_table array_to_string convert_from convert_to ' +
    // numbers
    'abs ceil ceiling floor round trunc mod power pow sqrt cbrt exp ln log log10 sign div width_bucket gcd lcm factorial ' +
    'degrees radians pi sin cos tan asin acos atan atan2 random setseed scale ' +
    // dates and times
    'now current_timestamp current_date current_time localtime localtimestamp clock_timestamp statement_timestamp ' +
    'transaction_timestamp timeofday date_trunc date_part date_bin extract age make_date make_time make_timestamp ' +
    'make_timestamptz make_interval justify_days justify_hours justify_interval isfinite timezone to_timestamp ' +
    'pg_sleep pg_sleep_for ' +
    // json
    'json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb row_to_json array_to_json ' +
    'json_object jsonb_object json_extract_path jsonb_extract_path json_extract_path_text jsonb_extract_path_text ' +
    'jsonb_set jsonb_set_lax jsonb_insert json_array_length jsonb_array_length json_array_elements jsonb_array_elements ' +
    'json_array_elements_text jsonb_array_elements_text json_each jsonb_each json_each_text jsonb_each_text ' +
    'json_object_keys jsonb_object_keys json_typeof jsonb_typeof json_strip_nulls jsonb_strip_nulls jsonb_pretty ' +
    'jsonb_path_query jsonb_path_query_array jsonb_path_query_first jsonb_path_exists jsonb_path_match ' +
    'json_populate_record jsonb_populate_record json_to_record jsonb_to_record json_to_recordset jsonb_to_recordset ' +
    // arrays, sets
    'array_length array_append array_prepend array_cat array_position array_positions array_remove array_replace ' +
    'array_lower array_upper array_dims array_ndims array_fill cardinality unnest generate_series generate_subscripts ' +
    // text search
    'to_tsvector to_tsquery plainto_tsquery phraseto_tsquery websearch_to_tsquery ts_rank ts_rank_cd ts_headline ' +
    'setweight strip numnode querytree ' +
    // ids, system information (no table data)
    'gen_random_uuid uuid_in md5 currval lastval pg_backend_pid txid_current pg_current_xact_id current_setting ' +
    'current_database current_schema current_schemas current_user session_user version pg_typeof format_type ' +
    'obj_description col_description to_regclass to_regtype has_table_privilege has_column_privilege pg_table_size ' +
    'pg_relation_size pg_total_relation_size pg_indexes_size pg_size_pretty pg_column_size pg_get_expr pg_get_indexdef ' +
    'pg_get_constraintdef pg_get_viewdef pg_get_functiondef pg_get_serial_sequence pg_table_is_visible ' +
    'pg_advisory_lock pg_advisory_unlock pg_advisory_xact_lock pg_try_advisory_lock pg_try_advisory_xact_lock ' +
    'pg_advisory_lock_shared pg_advisory_unlock_shared pg_notify pg_postmaster_start_time ' +
    // type names (casts written as calls, type modifiers)
    'int int2 int4 int8 integer smallint bigint numeric decimal real float float4 float8 text varchar char character ' +
    'bpchar bool boolean date time timetz timestamp timestamptz interval json jsonb uuid bytea bit varbit inet cidr ' +
    'macaddr money oid regclass name'
  ).split(' '),
);

/** Functions and keywords whose result depends on the time, chance or session, not only on table data. */
const VOLATILE = new Set(
  (
    'now current_timestamp current_date current_time localtime localtimestamp clock_timestamp statement_timestamp ' +
    'transaction_timestamp timeofday age random setseed gen_random_uuid uuid_generate_v1 uuid_generate_v4 nextval ' +
    'currval lastval txid_current pg_current_xact_id pg_backend_pid'
  ).split(' '),
);

/** Words followed by `(` that are syntax, not a call. */
const PAREN_KEYWORDS = new Set(
  (
    'in values exists any all some cast as on using from join lateral and or not where select then else when case by ' +
    'having returning limit offset between like ilike similar to is distinct union intersect except set conflict key ' +
    'check references unique include over filter group partition sets cube rollup materialized explain analyze ' +
    'vacuum tablesample system bernoulli repeatable row array with recursive into table only default primary foreign ' +
    'exclude do update insert delete merge matched window range rows groups preceding following current ' +
    'extract position overlay substring trim treat xmlelement xmlforest xmlattributes xmlparse xmlserialize xmlexists ' +
    'xmlconcat xmlpi xmlroot interval collate escape uescape fetch for nowait skip natural cross inner outer left right full ' +
    'lock copy cluster reindex ordinality'
  ).split(' '),
);
/** A name right after one of these, then `(`, is a table or type with a column list, not a call. */
const NAME_INTRODUCERS = new Set(['as', 'into', 'table', 'references', 'copy', 'only', 'exists', 'index', 'view', 'type', 'update']);

/** What the functions of one statement (stripped of literals and comments) may do. */
export interface FunctionCalls {
  /** The statement calls a function not in the read-only list: it may write any table. */
  readonly mayWrite: boolean;
  /** The statement's result depends on time, chance or session state (NOW(), random(), CURRENT_DATE...). */
  readonly volatile: boolean;
}

/** A possible call found before a `(`: its name, schema (if qualified) and whether the name was quoted. */
interface Candidate {
  name: string;
  quoted: boolean;
  schema: string | undefined;
}

const VOLATILE_KEYWORD = /(?<!")\b(?:current_date|current_time|current_timestamp|localtime|localtimestamp)\b/i;

/**
 * Finds the function calls of one statement already passed through `stripStatements`
 * (no literal or comment left; quoted names hold no odd character). A call is a name
 * (optionally schema-qualified) directly followed by `(`, unless the name is a keyword,
 * follows `::` / `AS` / `INTO` / ... (a type modifier, an alias or table column list), or
 * is a CTE name with a column list (`x(a, b) AS (...)`). A qualified name is read-only
 * only when its schema is pg_catalog. One pass; work only at parentheses.
 */
export function scanFunctionCalls(stmt: string, readOnly: ReadonlySet<string> = READ_ONLY_FUNCTIONS): FunctionCalls {
  let mayWrite = false;
  let volatile = VOLATILE_KEYWORD.test(stmt);
  /** For each open parenthesis: the call before it, or null. */
  const open: Array<Candidate | null> = [];
  const n = stmt.length;
  for (let i = 0; i < n; i++) {
    const c = stmt.charCodeAt(i);
    if (c === 34 /* " */) {
      const end = stmt.indexOf('"', i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === 40 /* ( */) {
      open.push(candidateBefore(stmt, i));
    } else if (c === 41 /* ) */) {
      const call = open.pop();
      if (call === undefined || call === null || isCteColumnList(stmt, i + 1)) continue;
      const fn = call.name;
      if (!call.quoted && VOLATILE.has(fn)) volatile = true;
      const builtin = call.schema === undefined || call.schema === 'pg_catalog';
      if (!builtin || !readOnly.has(fn)) mayWrite = true;
    }
  }
  return { mayWrite, volatile };
}

/** After the `)` of `name(...)`: `AS [NOT] [MATERIALIZED] (` means a CTE column list. */
function isCteColumnList(s: string, j: number): boolean {
  let w = wordAt(s, skipSpace(s, j));
  if (w.word !== 'as') return false;
  w = wordAt(s, skipSpace(s, w.end));
  if (w.word === 'not') w = wordAt(s, skipSpace(s, w.end));
  if (w.word === 'materialized') w = wordAt(s, skipSpace(s, w.end));
  return s.charCodeAt(skipSpace(s, w.end)) === 40;
}

/** The name before the `(` at `k` when it can be a function call, else null. */
function candidateBefore(s: string, k: number): Candidate | null {
  const name = nameBefore(s, k);
  if (name === null) return null;
  let schema: string | undefined;
  let end = skipSpaceBack(s, name.start);
  if (s.charCodeAt(end - 1) === 46 /* . */) {
    const q = nameBefore(s, skipSpaceBack(s, end - 1));
    if (q === null) return null;
    schema = q.quoted ? q.text : q.text.toLowerCase();
    end = skipSpaceBack(s, q.start);
  } else if (!name.quoted && PAREN_KEYWORDS.has(name.text.toLowerCase())) {
    return null;
  }
  if (s.charCodeAt(end - 1) === 58 && s.charCodeAt(end - 2) === 58) return null; // ::type(...)
  const before = nameBefore(s, end);
  if (before !== null && !before.quoted && NAME_INTRODUCERS.has(before.text.toLowerCase())) return null;
  return { name: name.quoted ? name.text : name.text.toLowerCase(), quoted: name.quoted, schema };
}

/** The identifier (bare or quoted) ending right before `end` (after skipping spaces), or null. */
function nameBefore(s: string, end: number): { text: string; start: number; quoted: boolean } | null {
  const e = skipSpaceBack(s, end);
  if (e === 0) return null;
  if (s.charCodeAt(e - 1) === 34) {
    const open = s.lastIndexOf('"', e - 2);
    if (open < 0) return null;
    return { text: s.slice(open + 1, e - 1), start: open, quoted: true };
  }
  let b = e;
  while (b > 0 && isIdentCont(s.charCodeAt(b - 1))) b--;
  if (b === e || !isIdentStart(s.charCodeAt(b))) return null; // nothing, or a number
  return { text: s.slice(b, e), start: b, quoted: false };
}

function wordAt(s: string, i: number): { word: string; end: number } {
  let e = i;
  while (e < s.length && isIdentCont(s.charCodeAt(e))) e++;
  return { word: s.slice(i, e).toLowerCase(), end: e };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function skipSpaceBack(s: string, i: number): number {
  while (i > 0 && isSpace(s.charCodeAt(i - 1))) i--;
  return i;
}
