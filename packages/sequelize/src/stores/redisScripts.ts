/**
 * Lookup in one round trip. KEYS[1] entry, KEYS[2] sequence, KEYS[3] epoch, KEYS[4..] table
 * generations; ARGV[1] the entry id the caller already holds locally ('' if none).
 * A missing generation is created with a never-used value (server time + sequence), so an
 * evicted or restarted generation can never match an old entry (no ABA).
 * An entry is `stamp \n id \n payload`. Returns {2, ''} on a hit whose id the caller
 * holds, {1, 'id \n payload'} on another hit, {0, stamp} on a miss.
 */
export const LOOKUP_SCRIPT = `
local parts = {}
for i = 3, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if not v then
    local t = redis.call('TIME')
    v = t[1] .. '.' .. t[2] .. '.' .. redis.call('INCR', KEYS[2])
    redis.call('SET', KEYS[i], v)
  end
  parts[#parts + 1] = v
end
local stamp = table.concat(parts, ',')
local e = redis.call('GET', KEYS[1])
if e then
  local n = #stamp
  if string.sub(e, 1, n + 1) == stamp .. '\\n' then
    local idEnd = string.find(e, '\\n', n + 2, true)
    if idEnd and ARGV[1] ~= '' and string.sub(e, n + 2, idEnd - 1) == ARGV[1] then
      return {2, ''}
    end
    return {1, string.sub(e, n + 2)}
  end
end
return {0, stamp}
`;

/** Gives each key in KEYS[2..] a fresh, never-used generation. KEYS[1] is the sequence. */
export const BUMP_SCRIPT = `
local t = redis.call('TIME')
local base = t[1] .. '.' .. t[2] .. '.'
for i = 2, #KEYS do
  redis.call('SET', KEYS[i], base .. redis.call('INCR', KEYS[1]))
end
return #KEYS - 1
`;
