-- Client event ids for the load scripts (they dofile this with SCRIPT_DIR set).
--   IDS=v7 (default): as the browser SDK makes them, UUIDv7 with a time in the first 48 bits, so
--                     they reach the tracker in about ascending order;
--   IDS=v4:           random, as a client using crypto.randomUUID() sends them (the tracker's
--                     unique index of event ids then takes a page of its own per event:
--                     docs/performance.md, Tracker, round 7).
-- wrk's Lua has no millisecond clock, so the v7 time starts at the thread's start and advances
-- one millisecond per id: ascending, as a real clock would be, only faster.
local random = math.random
local v4 = os.getenv("IDS") == "v4"
local clock_ms

function event_id()
  if not clock_ms then
    -- First call, in the wrk thread's own Lua state (setup() has set thread_tag there): each
    -- thread and run needs random numbers of its own, or threads would repeat each other's ids.
    local seed = os.time()
    for i = 1, #thread_tag do seed = (seed * 31 + thread_tag:byte(i)) % 2147483647 end
    math.randomseed(seed)
    clock_ms = os.time() * 1000
  end
  local version_and_random = v4 and 0x4000 + random(0, 0xfff) or 0x7000 + random(0, 0xfff)
  local time_high, time_low
  if v4 then
    time_high, time_low = random(0, 0xffffffff), random(0, 0xffff)
  else
    clock_ms = clock_ms + 1
    time_high, time_low = math.floor(clock_ms / 0x10000), clock_ms % 0x10000
  end
  return string.format("%08x-%04x-%04x-%04x-%04x%08x", time_high, time_low, version_and_random,
                       random(0x8000, 0xbfff), random(0, 0xffff), random(0, 0xffffffff))
end
