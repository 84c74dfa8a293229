/**
 * The few SQL keywords the sanitizer reacts to, looked up without allocating: a word's
 * case-folded hash selects a candidate, then the characters are compared.
 * @internal
 */
export const enum Kw {
  None = 0,
  Select, Insert, Update, Delete, Merge, Create, Alter, Drop, Truncate,
  From, Join, Into, In, Values, True, False, Distinct, On, For, Do, Key,
  Where, Group, Order, Having, Limit, Offset, Union, Intersect, Except, Returning, Window, Fetch, Set,
  Only, Lateral, If, Not, Exists, And, Or, When, Then, Else, Case, Between, Like, Ilike, Is, Return, By,
  Table, Index, View, Sequence, Schema, Database, Function, Procedure, Trigger, Type, Extension, Role,
  User, Domain, Materialized, Foreign, Policy, Replace, Temp, Temporary, Unlogged, Unique, Concurrently,
  Global, Local, Recursive, Null, Similar, Any, All, Some, Array, Default, Escape, Interval, Using,
}

const WORDS: Array<[string, Kw]> = [
  ['select', Kw.Select], ['insert', Kw.Insert], ['update', Kw.Update], ['delete', Kw.Delete],
  ['merge', Kw.Merge], ['create', Kw.Create], ['alter', Kw.Alter], ['drop', Kw.Drop],
  ['truncate', Kw.Truncate], ['from', Kw.From], ['join', Kw.Join], ['into', Kw.Into], ['in', Kw.In],
  ['values', Kw.Values], ['true', Kw.True], ['false', Kw.False], ['distinct', Kw.Distinct],
  ['on', Kw.On], ['for', Kw.For], ['do', Kw.Do], ['key', Kw.Key], ['where', Kw.Where],
  ['group', Kw.Group], ['order', Kw.Order], ['having', Kw.Having], ['limit', Kw.Limit],
  ['offset', Kw.Offset], ['union', Kw.Union], ['intersect', Kw.Intersect], ['except', Kw.Except],
  ['returning', Kw.Returning], ['window', Kw.Window], ['fetch', Kw.Fetch], ['set', Kw.Set],
  ['only', Kw.Only], ['lateral', Kw.Lateral], ['if', Kw.If], ['not', Kw.Not], ['exists', Kw.Exists],
  ['and', Kw.And], ['or', Kw.Or], ['when', Kw.When], ['then', Kw.Then], ['else', Kw.Else],
  ['case', Kw.Case], ['between', Kw.Between], ['like', Kw.Like], ['ilike', Kw.Ilike], ['is', Kw.Is],
  ['return', Kw.Return], ['by', Kw.By], ['table', Kw.Table], ['index', Kw.Index], ['view', Kw.View],
  ['sequence', Kw.Sequence], ['schema', Kw.Schema], ['database', Kw.Database],
  ['function', Kw.Function], ['procedure', Kw.Procedure], ['trigger', Kw.Trigger], ['type', Kw.Type],
  ['extension', Kw.Extension], ['role', Kw.Role], ['user', Kw.User], ['domain', Kw.Domain],
  ['materialized', Kw.Materialized], ['foreign', Kw.Foreign], ['policy', Kw.Policy],
  ['replace', Kw.Replace], ['temp', Kw.Temp], ['temporary', Kw.Temporary], ['unlogged', Kw.Unlogged],
  ['unique', Kw.Unique], ['concurrently', Kw.Concurrently], ['global', Kw.Global], ['local', Kw.Local],
  ['recursive', Kw.Recursive], ['null', Kw.Null], ['similar', Kw.Similar], ['any', Kw.Any],
  ['all', Kw.All], ['some', Kw.Some], ['array', Kw.Array], ['default', Kw.Default],
  ['escape', Kw.Escape], ['interval', Kw.Interval], ['using', Kw.Using],
];

/** Longest keyword above; longer words are never looked up. */
const MAX_KEYWORD_LENGTH = 12;
/** Open-addressing table: 2 slots per entry (hash, index into WORDS + 1), power-of-two size. */
const SLOTS = 512;
const TABLE = new Int32Array(SLOTS * 2);

function hashLower(s: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + (s.charCodeAt(i) | 0x20)) | 0;
  return h;
}

for (let w = 0; w < WORDS.length; w++) {
  const word = WORDS[w][0];
  const h = hashLower(word, 0, word.length);
  let slot = h & (SLOTS - 1);
  while (TABLE[slot * 2 + 1] !== 0) slot = (slot + 1) & (SLOTS - 1);
  TABLE[slot * 2] = h;
  TABLE[slot * 2 + 1] = w + 1;
}

/**
 * The keyword spelled by `s[start, end)` in any letter case, or {@link Kw.None}.
 * `c | 0x20` folds ASCII upper case; no other code unit folds onto a lowercase letter.
 */
export function keywordAt(s: string, start: number, end: number): Kw {
  const len = end - start;
  if (len < 2 || len > MAX_KEYWORD_LENGTH) return Kw.None;
  const h = hashLower(s, start, end);
  let slot = h & (SLOTS - 1);
  for (;;) {
    const idx = TABLE[slot * 2 + 1];
    if (idx === 0) return Kw.None;
    if (TABLE[slot * 2] === h) {
      const [word, kw] = WORDS[idx - 1];
      if (word.length === len) {
        let k = 0;
        while (k < len && (s.charCodeAt(start + k) | 0x20) === word.charCodeAt(k)) k++;
        if (k === len) return kw;
      }
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
}

/**
 * Words PostgreSQL accepts as the first word of a statement. Input that starts with
 * anything else is not SQL, and {@link sanitizeSql} redacts it whole.
 */
export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'abort', 'alter', 'analyze', 'analyse', 'begin', 'call', 'checkpoint', 'close', 'cluster',
  'comment', 'commit', 'copy', 'create', 'deallocate', 'declare', 'delete', 'discard', 'do', 'drop',
  'end', 'execute', 'explain', 'fetch', 'grant', 'import', 'insert', 'listen', 'load', 'lock',
  'merge', 'move', 'notify', 'prepare', 'reassign', 'refresh', 'reindex', 'release', 'reset',
  'revoke', 'rollback', 'savepoint', 'security', 'select', 'set', 'show', 'start', 'table',
  'truncate', 'unlisten', 'update', 'vacuum', 'values', 'with',
]);
