-- Batches of BATCH events (default 50) per request, unique ids (event_ids.lua), a realistic mix
-- of types.
local batch = tonumber(os.getenv("BATCH") or "50")
dofile(os.getenv("SCRIPT_DIR") .. "/event_ids.lua")
local counter = 0
-- Each wrk thread gets its own tag (setup runs in the main state, request in the thread's).
local next_thread = 0
function setup(thread)
  thread:set("thread_tag", (os.getenv("RUN_TAG") or "run") .. "-" .. next_thread)
  next_thread = next_thread + 1
end

request = function()
  local parts = {}
  for i = 1, batch do
    counter = counter + 1
    local kind = (i % 10 == 0) and '"event","name":"add_to_cart"' or '"pageview"'
    parts[i] = string.format(
      '{"type":%s,"id":"%s","url":"https://shop.example/p/%d","referrer":"https://www.google.com/",' ..
      '"context":{"time":{"timezone":"Europe/Berlin"},"visit":{"first":false,"count":3}}}',
      kind, event_id(), counter % 50)
  end
  local body = '{"site":"bench","events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/v1/collect", {["Content-Type"] = "application/json"}, body)
end
