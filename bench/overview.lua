-- wrk script: GET /v1/schools/{id}/overview on a random school of bench/.ids, with a bearer token.
local ids = {}
for line in io.lines("bench/.ids") do ids[#ids + 1] = line end
local token = os.getenv("BENCH_TOKEN")
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/v1/schools/" .. id .. "/overview", { ["Authorization"] = "Bearer " .. token })
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests_per_s=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
