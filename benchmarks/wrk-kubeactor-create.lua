-- wrk against kubeactor's API: each request creates a new pod (the API benchmark's pod) over HTTPS.
-- Arguments after wrk's "--": the bearer token, the namespace, a prefix for the pods' names.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "wrk-report.lua")

local ids = 0
function setup(thread)
  ids = ids + 1
  thread:set("id", ids)
end

local path, prefix
local sent = 0
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. args[1]
  wrk.headers["Content-Type"] = "application/json"
  path = "/api/v1/namespaces/" .. args[2] .. "/pods"
  prefix = args[3] .. "-" .. id .. "-"
end

function request()
  sent = sent + 1
  local name = prefix .. sent
  return wrk.format("POST", path, nil,
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"' .. name .. '","labels":{"app":"bench"}},'
    .. '"spec":{"containers":[{"name":"web","image":"nginx:1.14.2","ports":[{"containerPort":80}],'
    .. '"resources":{"requests":{"cpu":"50m","memory":"64Mi"}}}]}}')
end

done = report
