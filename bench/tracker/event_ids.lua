-- Client event ids for the load scripts (they dofile this with SCRIPT_DIR set).
--   IDS=v7 (default): as the browser SDK makes them, UUIDv7 with the time first, so they reach
--                     the tracker in about ascending order;
--   IDS=v4:           random, as a client using crypto.randomUUID() sends them (the tracker's
--                     unique index of event ids then takes a page of its own per event:
--                     docs/performance.md, Tracker, round 7).
-- wrk's Lua has only a clock in seconds, so a v7 id here carries the second in its millisecond
-- field and a per-thread sequence number in the bits after it (RFC 9562's "fixed-length
-- dedicated counter"): ascending within a thread and from one run to the next, like real ids.
local random = math.random
local v4 = os.getenv("IDS") == "v4"
local sequence

function event_id()
  if not sequence then
    -- First call, in the wrk thread's own Lua state (setup() has set thread_tag there): each
    -- thread and run needs random numbers of its own, or threads would repeat each other's ids.
    local seed = os.time()
    for i = 1, #thread_tag do seed = (seed * 31 + thread_tag:byte(i)) % 2147483647 end
    math.randomseed(seed)
    sequence = 0
  end
  if v4 then
    return string.format("%08x-%04x-%04x-%04x-%04x%08x", random(0, 0xffffffff), random(0, 0xffff),
                         0x4000 + random(0, 0xfff), random(0x8000, 0xbfff), random(0, 0xffff),
                         random(0, 0xffffffff))
  end
  sequence = sequence + 1
  local ms = os.time() * 1000
  return string.format("%08x-%04x-%04x-%04x-%04x%08x", math.floor(ms / 0x10000), ms % 0x10000,
                       0x7000 + math.floor(sequence / 0x4000) % 0x1000, 0x8000 + sequence % 0x4000,
                       random(0, 0xffff), random(0, 0xffffffff))
end
