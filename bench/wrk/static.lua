-- wrk script for the nginx ceiling: the same RESULT line as ssokit.lua.
function done(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d %.3f\n", summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         summary.errors.status, summary.requests, latency.max / 1000))
end
