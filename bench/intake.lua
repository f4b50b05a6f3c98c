-- wrk script: POST /v1/signals with a unique body and Idempotency-Key per request (bench/run.sh intake).
-- BENCH_TOKENS is "GMnnnn=token,GMnnnn=token,…": requests go round the municipalities in turn.
local run = os.getenv("BENCH_RUN") or "x"
local pairs_ = {}
for code, token in string.gmatch(os.getenv("BENCH_TOKENS") or "", "(GM%d%d%d%d)=([^,]+)") do
  table.insert(pairs_, { code = code, token = token })
end
local counter = 0
local threads = {}
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local m = pairs_[(counter + (tid or 0)) % #pairs_ + 1]
  local key = run .. "-" .. tostring(tid) .. "-" .. tostring(counter)
  local body = '{"municipalityCode":"' .. m.code .. '","reportedSchoolName":"Benchmark Voorbeeld 0001 B.V.","category":"kickbacks",' ..
    '"severity":"medium","observedFrom":"2026-01-05","summary":"Benchmarkmelding ' .. key .. '.","source":"ownCaseWork"}'
  return wrk.format("POST", "/v1/signals", { ["Authorization"] = "Bearer " .. m.token, ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n", summary.requests, summary.errors.status,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
