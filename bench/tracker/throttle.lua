-- Wraps another script with a per-connection pause so the offered load is roughly
-- TARGET_RPS requests/s over all connections (wrk has no constant-rate mode):
--   SCRIPT=collect_batch.lua TARGET_RPS=500 CONNECTIONS=16 wrk -s throttle.lua …
dofile(os.getenv("SCRIPT_DIR") .. "/" .. os.getenv("SCRIPT"))
local target = tonumber(os.getenv("TARGET_RPS"))
local connections = tonumber(os.getenv("CONNECTIONS"))
local pause_ms = connections * 1000.0 / target

delay = function()
  return pause_ms
end
