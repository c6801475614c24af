-- wrk script for bench/server.sh: every request picks one of many devices at random.
-- Environment (set by bench/server.sh):
--   SSOKIT_MODE     sign_in | link | list | refresh
--   SSOKIT_DEVICES  file with one "device_id service_token" per line (link, list, refresh)
--   SSOKIT_TOKEN    the client's access token
--   SSOKIT_SP       the service provider
--   SSOKIT_DELAY_MS optional: each connection waits this long before each request (the
--                   paced mode; wrk times a request from its send, so the wait is not in
--                   the latency)
local mode = os.getenv("SSOKIT_MODE")
local token = os.getenv("SSOKIT_TOKEN")
local sp = os.getenv("SSOKIT_SP")
local devices = {}

local function load_devices()
  local path = os.getenv("SSOKIT_DEVICES")
  if not path then return end
  for line in io.lines(path) do
    local id, service_token = line:match("^(%S+) (%S+)$")
    if id then devices[#devices + 1] = { id = id, token = service_token } end
  end
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64_of_number(n)
  -- 12 characters of base64 from a number: distinct numbers, distinct valid device ids.
  local out = {}
  for i = 1, 12 do
    local v = n % 64
    n = (n - v) / 64
    out[i] = b64chars:sub(v + 1, v + 1)
  end
  return table.concat(out)
end

local pace_ms = tonumber(os.getenv("SSOKIT_DELAY_MS") or "")
if pace_ms then
  function delay() return pace_ms end
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  load_devices()
end

function request()
  local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  if mode == "sign_in" then
    -- Many distinct devices: a pool of a million ids, so most requests create a device.
    headers["AP-Device-Identifier"] = "fingerprint " .. base64_of_number(math.random(1, 1000000))
    headers["X-SSO-ID"] = "bench-user-" .. math.random(1, 100000)
    return wrk.format("POST", "/api/" .. sp .. "/serviceToken", headers)
  end
  local device = devices[math.random(1, #devices)]
  headers["AP-Device-Identifier"] = "fingerprint " .. device.id
  headers["AD-Service-Token"] = device.token
  if mode == "link" then
    return wrk.format("POST", "/api/" .. sp .. "/link", headers)
  elseif mode == "list" then
    return wrk.format("GET", "/api/" .. sp .. "/list", headers)
  else
    return wrk.format("GET", "/api/" .. sp .. "/serviceToken", headers)
  end
end

-- One machine-readable line: req/s, p50 ms, p99 ms, answers with status >= 400, requests,
-- the slowest answer in ms.
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %.3f\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         summary.errors.status, summary.requests, latency.max / 1000))
end
