-- Prints wrk's latency distribution as machine-readable lines after a run (microseconds).
done = function(summary, latency, requests)
  local points = { 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99 }
  for _, p in ipairs(points) do
    io.write(string.format("PCT %g %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("PCT 100 %d\n", latency.max))
  local e = summary.errors
  io.write(string.format("SUMMARY %d %d %d\n", summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout))
end
