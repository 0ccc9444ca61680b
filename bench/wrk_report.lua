-- What bench/run reads from one wrk run: requests, seconds, the 50th and 99th percentile of the
-- latency, socket errors, and the answers by status and by cache state, as one line of JSON
-- after "BENCHRUN ". wrk's own summary counts only statuses above 399 as errors: a redirect to
-- the login page (a session that ended) would pass for a fast page, so every status is counted.
-- Each wrk thread runs its own copy of this script; done() adds the threads' counts up.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  caches = {}
end

local function count(into, key)
  into[key] = (into[key] or 0) + 1
end

function response(status, headers, body)
  count(statuses, tostring(status))
  -- The portal's page cache says hit/miss/stale; the nginx micro-cache HIT/MISS/UPDATING...
  local state = headers["X-Micro-Cache"] or headers["X-Page-Cache"]
  if state then
    count(caches, state)
  end
end

local function json_counts(counts)
  local parts = {}
  for key, value in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', key, value))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_caches = {}, {}
  for _, thread in ipairs(threads) do
    for key, value in pairs(thread:get("statuses")) do
      all_statuses[key] = (all_statuses[key] or 0) + value
    end
    for key, value in pairs(thread:get("caches")) do
      all_caches[key] = (all_caches[key] or 0) + value
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCHRUN {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "statuses": %s, "caches": %s}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)),
    errors.connect, errors.read, errors.write, errors.timeout,
    json_counts(all_statuses), json_counts(all_caches)
  ))
end
