-- Wraps another script with a per-connection pause so the offered load is roughly
-- TARGET_RPS requests/s over all connections (wrk has no constant-rate mode):
--   SCRIPT=collect_batch.lua TARGET_RPS=500 CONNECTIONS=16 wrk -s throttle.lua …
-- Pauses are drawn from an exponential distribution with that mean (as TPC-C's think times),
-- so connections arrive independently. A fixed pause phase-locks them: the requests one group
-- commit answers all come back together one pause later and land in one commit again, so the
-- load arrives in clumps of up to all connections at once (THROTTLE=fixed keeps that, to compare).
dofile(os.getenv("SCRIPT_DIR") .. "/" .. os.getenv("SCRIPT"))
local target = tonumber(os.getenv("TARGET_RPS"))
local connections = tonumber(os.getenv("CONNECTIONS"))
local pause_ms = connections * 1000.0 / target
local fixed = os.getenv("THROTTLE") == "fixed"

delay = function()
  if fixed then return pause_ms end
  return math.floor(-pause_ms * math.log(1 - math.random()) + 0.5)
end
