import { hashToken } from './fingerprint';

/**
 * The SQL keywords the sanitizer reacts to, looked up without allocating: the
 * case-folded token hash the lexer already computed for a word (it feeds the
 * fingerprint too) selects a candidate, then the characters are compared. What each
 * keyword means to the lexer and the summary is a bit set in {@link KW_FLAGS}.
 * @internal
 */
export enum Kw {
  None = 0,
  Select, Insert, Update, Delete, Merge, Create, Alter, Drop, Truncate,
  From, Join, Into, In, Values, True, False, Distinct, On, For, Do, Key,
  Where, Group, Order, Having, Limit, Offset, Union, Intersect, Except, Returning, Window, Fetch, Set,
  Only, Lateral, If, Not, Exists, And, Or, When, Then, Else, Case, Between, Like, Ilike, Is, Return, By,
  Table, Index, View, Sequence, Schema, Database, Function, Procedure, Trigger, Type, Extension, Role,
  User, Domain, Materialized, Foreign, Policy, Replace, Temp, Temporary, Unlogged, Unique, Concurrently,
  Global, Local, Recursive, Null, Similar, Any, All, Some, Array, Default, Escape, Interval, Using,
  With, Abort, Analyze, Analyse, Begin, Call, Checkpoint, Close, Cluster, Comment, Commit, Copy,
  Deallocate, Declare, Discard, End, Execute, Explain, Grant, Import, Listen, Load, Lock, Move, Notify,
  Prepare, Reassign, Refresh, Reindex, Release, Reset, Revoke, Rollback, Savepoint, Security, Show,
  Start, Unlisten, Vacuum,
}

/** May start a statement; input starting with anything else is not SQL and is redacted whole. */
export const KF_STATEMENT = 1;
/** A `+`/`-` right after it is a unary sign (`WHERE -1`). */
export const KF_SIGN = 2;
/** Ends a FROM list and is never a collection name. */
export const KF_CLAUSE = 4;
/** DDL modifier skipped before the object type or name (`OR REPLACE`, `IF NOT EXISTS`, `UNIQUE`). */
export const KF_DDL_MODIFIER = 8;
/** DDL object type (`TABLE`, `INDEX`, ...), part of the summary's operation. */
export const KF_DDL_TYPE = 16;

/**
 * Outside a statement start or a name, {@link SummaryBuilder.word} only reacts to these
 * (operations, FROM, JOIN, INTO); for every other word it at most ends a FROM list.
 */
export const KF_SUMMARY = 32;
/** A value follows (`LIKE`, `ILIKE`): a double-quoted token right after it is redacted as a string. */
export const KF_VALUE = 64;
/** `BY`: after ORDER / GROUP, integers in the list are ordinals (kept in the fingerprint). */
export const KF_BY = 128;

const S = KF_STATEMENT;
const G = KF_SIGN;
const C = KF_CLAUSE;
const M = KF_DDL_MODIFIER;
const T = KF_DDL_TYPE;
const V = KF_VALUE;

const WORDS: Array<[string, Kw, number]> = [
  ['select', Kw.Select, S | G | C], ['insert', Kw.Insert, S | C], ['update', Kw.Update, S | C],
  ['delete', Kw.Delete, S | C], ['merge', Kw.Merge, S], ['create', Kw.Create, S], ['alter', Kw.Alter, S],
  ['drop', Kw.Drop, S], ['truncate', Kw.Truncate, S], ['from', Kw.From, 0], ['join', Kw.Join, 0],
  ['into', Kw.Into, 0], ['in', Kw.In, G], ['values', Kw.Values, S | G | C], ['true', Kw.True, 0],
  ['false', Kw.False, 0], ['distinct', Kw.Distinct, G], ['on', Kw.On, G], ['for', Kw.For, C],
  ['do', Kw.Do, S], ['key', Kw.Key, 0], ['where', Kw.Where, G | C], ['group', Kw.Group, C],
  ['order', Kw.Order, C], ['having', Kw.Having, G | C], ['limit', Kw.Limit, G | C],
  ['offset', Kw.Offset, G | C], ['union', Kw.Union, C], ['intersect', Kw.Intersect, C],
  ['except', Kw.Except, C], ['returning', Kw.Returning, C], ['window', Kw.Window, C],
  ['fetch', Kw.Fetch, S | C], ['set', Kw.Set, S | C], ['only', Kw.Only, M], ['lateral', Kw.Lateral, 0],
  ['if', Kw.If, M], ['not', Kw.Not, G | M], ['exists', Kw.Exists, M], ['and', Kw.And, G], ['or', Kw.Or, G | M],
  ['when', Kw.When, G], ['then', Kw.Then, G], ['else', Kw.Else, G], ['case', Kw.Case, G],
  ['between', Kw.Between, G], ['like', Kw.Like, G | V], ['ilike', Kw.Ilike, G | V], ['is', Kw.Is, G],
  ['return', Kw.Return, G], ['by', Kw.By, G | KF_BY], ['table', Kw.Table, S | T], ['index', Kw.Index, T],
  ['view', Kw.View, T], ['sequence', Kw.Sequence, T], ['schema', Kw.Schema, T],
  ['database', Kw.Database, T], ['function', Kw.Function, T], ['procedure', Kw.Procedure, T],
  ['trigger', Kw.Trigger, T], ['type', Kw.Type, T], ['extension', Kw.Extension, T], ['role', Kw.Role, T],
  ['user', Kw.User, T], ['domain', Kw.Domain, T], ['materialized', Kw.Materialized, T],
  ['foreign', Kw.Foreign, T], ['policy', Kw.Policy, T], ['replace', Kw.Replace, M], ['temp', Kw.Temp, M],
  ['temporary', Kw.Temporary, M], ['unlogged', Kw.Unlogged, M], ['unique', Kw.Unique, M],
  ['concurrently', Kw.Concurrently, M], ['global', Kw.Global, M], ['local', Kw.Local, M],
  ['recursive', Kw.Recursive, M], ['null', Kw.Null, 0], ['similar', Kw.Similar, G], ['any', Kw.Any, 0],
  ['all', Kw.All, 0], ['some', Kw.Some, 0], ['array', Kw.Array, 0], ['default', Kw.Default, G | C],
  ['escape', Kw.Escape, G], ['interval', Kw.Interval, 0], ['using', Kw.Using, C], ['with', Kw.With, S],
  ['abort', Kw.Abort, S], ['analyze', Kw.Analyze, S], ['analyse', Kw.Analyse, S], ['begin', Kw.Begin, S],
  ['call', Kw.Call, S], ['checkpoint', Kw.Checkpoint, S], ['close', Kw.Close, S],
  ['cluster', Kw.Cluster, S], ['comment', Kw.Comment, S], ['commit', Kw.Commit, S], ['copy', Kw.Copy, S],
  ['deallocate', Kw.Deallocate, S], ['declare', Kw.Declare, S], ['discard', Kw.Discard, S],
  ['end', Kw.End, S], ['execute', Kw.Execute, S], ['explain', Kw.Explain, S], ['grant', Kw.Grant, S],
  ['import', Kw.Import, S], ['listen', Kw.Listen, S], ['load', Kw.Load, S], ['lock', Kw.Lock, S],
  ['move', Kw.Move, S], ['notify', Kw.Notify, S], ['prepare', Kw.Prepare, S],
  ['reassign', Kw.Reassign, S], ['refresh', Kw.Refresh, S], ['reindex', Kw.Reindex, S],
  ['release', Kw.Release, S], ['reset', Kw.Reset, S], ['revoke', Kw.Revoke, S],
  ['rollback', Kw.Rollback, S], ['savepoint', Kw.Savepoint, S], ['security', Kw.Security, S],
  ['show', Kw.Show, S], ['start', Kw.Start, S], ['unlisten', Kw.Unlisten, S], ['vacuum', Kw.Vacuum, S],
];

/** KW_FLAGS[kw]: the KF_* bits of keyword `kw` (0 for {@link Kw.None}). */
export const KW_FLAGS: Uint8Array = new Uint8Array(WORDS.length + 1);

/** Longest keyword above; longer words are never looked up. */
export const MAX_KEYWORD_LENGTH = 12;
/** Slots of {@link KW_TABLE} (a power of two). */
const SLOTS = 1024;
/** `slot & KW_MASK` wraps a probe around {@link KW_TABLE}. */
export const KW_MASK = SLOTS - 1;
/**
 * Open-addressing table of the keywords, 4 ints per slot: case-folded token hash
 * (`hashToken(word, 0, len, true)`), the {@link Kw} (0: empty slot), the length, and the
 * offset of the word's lowercase letters in {@link KW_CHARS}. The lexer probes it inline,
 * with the hash it already computed for the word (a call per word cost more than the probe):
 *
 *     slot = h & KW_MASK; while KW_TABLE[4 slot + 1] != 0: if hash and length match and
 *     (code unit | 0x20) equals KW_CHARS[offset + k] for every k: found; slot = (slot + 1) & KW_MASK
 *
 * `c | 0x20` folds ASCII upper case; no other code unit folds onto a lowercase letter.
 */
export const KW_TABLE = new Int32Array(SLOTS * 4);
/** The keywords' lowercase letters, back to back. */
export const KW_CHARS = new Uint8Array(WORDS.reduce((sum, [word]) => sum + word.length, 0));

{
  let offset = 0;
  for (const [word, kw, flags] of WORDS) {
    KW_FLAGS[kw] = flags;
    if (kw === Kw.Select || kw === Kw.Insert || kw === Kw.Update || kw === Kw.Delete || kw === Kw.Merge || kw === Kw.From || kw === Kw.Join || kw === Kw.Into) KW_FLAGS[kw] |= KF_SUMMARY;
    const h = hashToken(word, 0, word.length, true);
    let slot = h & KW_MASK;
    while (KW_TABLE[slot * 4 + 1] !== 0) slot = (slot + 1) & KW_MASK;
    KW_TABLE[slot * 4] = h;
    KW_TABLE[slot * 4 + 1] = kw;
    KW_TABLE[slot * 4 + 2] = word.length;
    KW_TABLE[slot * 4 + 3] = offset;
    for (let k = 0; k < word.length; k++) KW_CHARS[offset + k] = word.charCodeAt(k);
    offset += word.length;
  }
}

/**
 * The keyword spelled by `s[start, end)` in any letter case, or {@link Kw.None}; `h` is
 * `hashToken(s, start, end, true)`. The lexer inlines this same probe over its code units.
 */
export function keywordAt(s: string, start: number, end: number, h: number): Kw {
  const len = end - start;
  if (len < 2 || len > MAX_KEYWORD_LENGTH) return Kw.None;
  for (let slot = h & KW_MASK; KW_TABLE[slot * 4 + 1] !== 0; slot = (slot + 1) & KW_MASK) {
    if (KW_TABLE[slot * 4] !== h || KW_TABLE[slot * 4 + 2] !== len) continue;
    const offset = KW_TABLE[slot * 4 + 3];
    let k = 0;
    while (k < len && (s.charCodeAt(start + k) | 0x20) === KW_CHARS[offset + k]) k++;
    if (k === len) return KW_TABLE[slot * 4 + 1] as Kw;
  }
  return Kw.None;
}
