-- Argo CD health of a cdds.dev ExportJob, from the conditions the operator writes (docs/gitops.md).
-- Argo CD opens only Lua's base and table libraries for a custom check: no string library here.
local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local hs = {}
local status = obj.status
local generation = obj.metadata.generation or 0
if status == nil or status.observedGeneration == nil or status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "waiting for the cdds operator to act on generation " .. generation
  return hs
end

local conditions = status.conditions
local stalled = condition(conditions, "Stalled")
local reconciling = condition(conditions, "Reconciling")
local running = condition(conditions, "Running")
local gap = condition(conditions, "GapDetected")
local suspended = condition(conditions, "Suspended")
local ended = condition(conditions, "Ended")
local ready = condition(conditions, "Ready")
local last = nil
if status.history ~= nil then
  last = status.history[1]
end

if isTrue(stalled) then
  hs.status = "Degraded"
  hs.message = stalled.message
elseif isTrue(reconciling) then
  hs.status = "Progressing"
  hs.message = reconciling.message
elseif isTrue(running) then
  hs.status = "Progressing"
  hs.message = running.message
  if status.currentRun ~= nil and status.currentRun.progress ~= nil then
    hs.message = hs.message .. ": " .. status.currentRun.progress .. "% done"
  end
elseif last ~= nil and last.result == "Failed" then
  hs.status = "Degraded"
  hs.message = "run " .. last.id .. " failed: " .. (last.message or "see kubectl cdds history")
elseif isTrue(gap) then
  hs.status = "Degraded"
  hs.message = gap.message
elseif isTrue(suspended) then
  hs.status = "Suspended"
  hs.message = suspended.message
elseif isTrue(ended) then
  hs.status = "Suspended"
  hs.message = ended.message
elseif isTrue(ready) then
  hs.status = "Healthy"
  if last ~= nil then
    hs.message = "run " .. last.id .. ": " .. last.result
  else
    hs.message = ready.message
  end
else
  hs.status = "Progressing"
  hs.message = "waiting for the cdds operator's conditions"
end
return hs
