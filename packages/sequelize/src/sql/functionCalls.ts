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
/** Reserved words that are function calls without parentheses. */
const VOLATILE_KEYWORDS = new Set(['current_timestamp', 'current_date', 'current_time', 'localtime', 'localtimestamp']);

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

interface Token {
  /** 'w' word (lower-cased), 'q' quoted identifier, or the punctuation itself: ( ) . :: , and 'o' for anything else. */
  k: string;
  v: string;
}

/**
 * Finds the function calls of one statement already passed through `stripStatements`
 * (no literal or comment left). A call is a name (optionally schema-qualified) directly
 * followed by `(`, unless the name is a keyword, follows `::` / `AS` / `INTO` / ... (a
 * type modifier, an alias or table column list), or is a CTE name with a column list
 * (`x(a, b) AS (...)`). A qualified name is read-only only when its schema is pg_catalog.
 * Linear in the statement.
 */
export function scanFunctionCalls(stmt: string, readOnly: ReadonlySet<string> = READ_ONLY_FUNCTIONS): FunctionCalls {
  const tokens = tokenize(stmt);
  let mayWrite = false;
  let volatile = false;
  /** For each open parenthesis: the index of the name before it if it may be a call, else -1. */
  const open: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.k === 'w' && VOLATILE_KEYWORDS.has(t.v)) volatile = true;
    if (t.k === ')') {
      const nameAt = open.pop();
      if (nameAt === undefined || nameAt < 0) continue;
      // `name(a, b) AS [NOT] [MATERIALIZED] (` is a CTE with a column list.
      let j = k + 1;
      if (tokens[j]?.v === 'as') {
        j++;
        if (tokens[j]?.v === 'not') j++;
        if (tokens[j]?.v === 'materialized') j++;
        if (tokens[j]?.k === '(') continue;
      }
      const name = tokens[nameAt];
      const qualifier = tokens[nameAt - 1]?.k === '.' ? tokens[nameAt - 2] : undefined;
      const fn = name.v;
      if (VOLATILE.has(fn)) volatile = true;
      if (qualifier === undefined) {
        if (!readOnly.has(fn)) mayWrite = true;
      } else if (qualifier.v !== 'pg_catalog' || !readOnly.has(fn)) {
        mayWrite = true;
      }
      continue;
    }
    if (t.k !== '(') continue;
    open.push(callNameBefore(tokens, k));
  }
  return { mayWrite, volatile };
}

/** Index of the name token before the `(` at `k` when it can be a function call, else -1. */
function callNameBefore(tokens: readonly Token[], k: number): number {
  const name = tokens[k - 1];
  if (name === undefined || (name.k !== 'w' && name.k !== 'q')) return -1;
  let before = tokens[k - 2];
  if (before?.k === '.') {
    const qualifier = tokens[k - 3];
    if (qualifier === undefined || (qualifier.k !== 'w' && qualifier.k !== 'q')) return -1;
    before = tokens[k - 4];
  } else if (name.k === 'w' && PAREN_KEYWORDS.has(name.v)) {
    return -1;
  }
  if (before !== undefined && (before.k === '::' || (before.k === 'w' && NAME_INTRODUCERS.has(before.v)))) return -1;
  return k - 1;
}

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isIdentStart(c)) {
      const start = i;
      i++;
      while (i < n && isIdentCont(s.charCodeAt(i))) i++;
      out.push({ k: 'w', v: s.slice(start, i).toLowerCase() });
    } else if (c === 34 /* " */) {
      const end = s.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      out.push({ k: 'q', v: s.slice(i + 1, stop) });
      i = stop + 1;
    } else if (c === 40 || c === 41 || c === 46 || c === 44) {
      out.push({ k: s[i], v: s[i] });
      i++;
    } else if (c === 58 && s.charCodeAt(i + 1) === 58) {
      out.push({ k: '::', v: '::' });
      i += 2;
    } else if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
      i++;
    } else if (c >= 48 && c <= 57) {
      while (i < n && isIdentCont(s.charCodeAt(i))) i++;
      out.push({ k: 'o', v: '0' });
    } else {
      out.push({ k: 'o', v: s[i] });
      i++;
    }
  }
  return out;
}
