-- One pageview per request, each with a unique client event id (as the SDK sends them).
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
    '{"site":"bench","type":"pageview","id":"s-%s-%d","url":"https://shop.example/p/%d",' ..
    '"referrer":"https://www.google.com/","context":{"time":{"timezone":"Europe/Berlin"},' ..
    '"visit":{"first":false,"count":3}}}', thread_tag, counter, counter % 50)
  return wrk.format("POST", "/v1/collect", {["Content-Type"] = "application/json"}, body)
end
