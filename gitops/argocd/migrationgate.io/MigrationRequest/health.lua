-- Health of a Migration Gate MigrationRequest, from status.phase and the Ready condition.
-- Phases and reasons: docs/evidence.md ("Phases", "Every reason") in the Migration Gate repository.
-- The spec is immutable (a CEL rule), so metadata.generation never moves past 1 and
-- observedGeneration cannot lag behind a spec change; it is not consulted.
-- Uses only the base library: Argo CD runs health checks without the string library by default.
local hs = {}
if obj.status == nil or obj.status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Migration Gate operator to record a status"
  return hs
end

local phase = obj.status.phase
local reason = nil
local message = nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      reason = condition.reason
      message = condition.message
    end
  end
end

-- "<phase> <reason>: <message>", as the request's evidence writes its outcome; the reason is
-- left out where it only repeats the phase (AwaitingApproval, Rejected).
hs.message = phase
if reason ~= nil and reason ~= phase then
  hs.message = hs.message .. " " .. reason
end
if message ~= nil and message ~= "" then
  hs.message = hs.message .. ": " .. message
end

if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" or phase == "Rejected" or phase == "Blocked" then
  -- Failed and Rejected are final; Blocked stays until the namespace's labels change.
  hs.status = "Degraded"
elseif phase == "AwaitingApproval" then
  -- waiting for a person, not for the cluster
  hs.status = "Suspended"
else
  -- Pending, Queued, Running, and any phase a newer operator adds
  hs.status = "Progressing"
end
return hs
