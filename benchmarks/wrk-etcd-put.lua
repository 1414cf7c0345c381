-- wrk against etcd's v3 HTTP gateway: each request puts a new key with a value of the given size, as
-- kube-apiserver stores each new object under its own key. Arguments after wrk's "--": the value's
-- size in bytes, a prefix for the keys.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local report = dofile(dir .. "wrk-report.lua")

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
-- the gateway takes keys and values as base64 (protobuf bytes in JSON)
local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local quad = {}
    for k = 1, 4 do
      local sextet = math.floor(n / 64 ^ (4 - k)) % 64
      quad[k] = alphabet:sub(sextet + 1, sextet + 1)
    end
    if not b then quad[3] = "=" end
    if not c then quad[4] = "=" end
    out[#out + 1] = table.concat(quad)
  end
  return table.concat(out)
end

local ids = 0
function setup(thread)
  ids = ids + 1
  thread:set("id", ids)
end

local value, prefix
local sent = 0
function init(args)
  wrk.method = "POST"
  wrk.path = "/v3/kv/put"
  wrk.headers["Content-Type"] = "application/json"
  local size = tonumber(args[1])
  value = base64(string.rep("0123456789abcdef", math.ceil(size / 16)):sub(1, size))
  prefix = args[2] .. "-" .. id .. "-"
end

function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, '{"key":"' .. base64(prefix .. sent) .. '","value":"' .. value .. '"}')
end

done = report
