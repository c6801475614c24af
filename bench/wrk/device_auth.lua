-- wrk script for the Node.js peer (bench/node-peer): every request asks node-oidc-provider
-- for a new RFC 8628 device code, POST /device/auth (its device_authorization_endpoint) as
-- the public client bench-peer. Answers are 200 with device_code and user_code.
--   wrk -t2 -c64 -d5s -s bench/wrk/device_auth.lua http://127.0.0.1:PORT
wrk.method = "POST"
wrk.path = "/device/auth"
wrk.body = "client_id=bench-peer&scope=openid"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"

-- One machine-readable line, as bench/wrk/ssokit.lua: req/s, p50 ms, p99 ms, answers with
-- status >= 400, requests.
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %.3f\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         summary.errors.status, summary.requests, latency.max / 1000))
end
