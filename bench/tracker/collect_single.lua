-- One pageview per request, each with a unique client event id (event_ids.lua: as the SDK
-- sends them, or random with IDS=v4).
dofile(os.getenv("SCRIPT_DIR") .. "/event_ids.lua")
local counter = 0
-- Each wrk thread gets its own tag (setup runs in the main state, request in the thread's).
local next_thread = 0
function setup(thread)
  thread:set("thread_tag", (os.getenv("RUN_TAG") or "run") .. "-" .. next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"site":"bench","type":"pageview","id":"%s","url":"https://shop.example/p/%d",' ..
    '"referrer":"https://www.google.com/","context":{"time":{"timezone":"Europe/Berlin"},' ..
    '"visit":{"first":false,"count":3}}}', event_id(), counter % 50)
  return wrk.format("POST", "/v1/collect", {["Content-Type"] = "application/json"}, body)
end
