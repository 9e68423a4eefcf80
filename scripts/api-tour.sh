#!/usr/bin/env bash
# Walks the whole /v1/organization and /v1/projects surface with curl against a running server:
#   KEY=confident_org_... [BASE=http://localhost:3000] bash scripts/api-tour.sh
# Each step prints the request and the answer; the script stops at the first unexpected status.
# It cleans up after itself (the policies, roles, invitations, API keys, project and governance
# policy it creates).
set -euo pipefail

BASE="${BASE:-http://localhost:3000}"
: "${KEY:?Set KEY to an organization API key (the demo key printed by npm run dev)}"
RUN="$(date +%s)"

# api EXPECTED_STATUS METHOD PATH [JSON_BODY] [KEY] — prints, checks the status, leaves the body in $BODY
api() {
  local expected="$1" method="$2" path="$3" data="${4:-}" key="${5:-$KEY}"
  local args=(-s -o /tmp/api-tour.$$ -w "%{http_code}" -X "$method" "$BASE$path" -H "CONFIDENT_API_KEY: $key")
  [ -n "$data" ] && args+=(-H "Content-Type: application/json" -d "$data")
  printf '\n$ curl -X %s %s%s%s\n' "$method" "$path" "${data:+ -d '$data'}" "$([ "$key" != "$KEY" ] && echo ' (another key)')"
  local status
  status="$(curl "${args[@]}")"
  BODY="$(cat /tmp/api-tour.$$)"
  rm -f /tmp/api-tour.$$
  printf '%s %s\n' "$status" "$(printf '%s' "$BODY" | head -c 400)"
  if [ "$status" != "$expected" ]; then
    echo "!! expected HTTP $expected" >&2
    exit 1
  fi
}

# field JS_EXPRESSION — evaluates against the last answer's JSON as `r`
field() { node -e "const r = JSON.parse(process.argv[1]); console.log($1)" "$BODY"; }

echo "== Organization"
api 200 GET /v1/organization
ORIGINAL_NAME="$(field 'r.data.organization.name')"
api 200 PUT /v1/organization "{\"name\": \"$ORIGINAL_NAME (tour)\"}"
api 200 PUT /v1/organization "$(node -e 'console.log(JSON.stringify({name: process.argv[1]}))' "$ORIGINAL_NAME")"

echo; echo "== Permissions, policies, roles"
api 200 GET /v1/organization/permissions
PERMISSION_ID="$(field 'r.data.permissions.find(p => p.name === "project:read").id')"
api 200 POST /v1/organization/policies "{\"name\": \"Tour policy $RUN\", \"permissionIds\": [\"$PERMISSION_ID\"], \"description\": \"Read projects\"}"
POLICY_ID="$(field 'r.data.policy.id')"
api 200 GET /v1/organization/policies
api 200 POST /v1/organization/roles "{\"name\": \"Tour role $RUN\", \"policyIds\": [\"$POLICY_ID\"]}"
ROLE_ID="$(field 'r.data.role.id')"
api 409 POST /v1/organization/roles "{\"name\": \"Admin\", \"policyIds\": []}"
api 200 PUT "/v1/organization/roles/$ROLE_ID" "{\"name\": \"Tour role $RUN\", \"policyIds\": [\"$POLICY_ID\"], \"description\": \"Renamed by the tour\"}"
api 200 GET /v1/organization/roles
ADMIN_ROLE_ID="$(field 'r.data.roles.find(x => x.name === "Admin" && x.organizationId === null).id')"

echo; echo "== Invitations"
api 200 POST /v1/organization/invitations "{\"emails\": [\"tour-$RUN@example.com\", \"Tour-$RUN@Example.com\"], \"organizationRoleId\": \"$ROLE_ID\"}"
INVITATION_ID="$(field 'r.data.invitations[0].id')"
api 400 POST /v1/organization/invitations '{"emails": ["not-an-email"]}'
api 200 GET "/v1/organization/invitations?email=tour-$RUN"
api 409 DELETE "/v1/organization/roles/$ROLE_ID"
api 200 DELETE "/v1/organization/invitations/$INVITATION_ID"

echo; echo "== Members"
api 200 GET "/v1/organization/members?page=1&pageSize=25"
OWNER_ID="$(field 'r.data.members.find(m => m.organizationRole && m.organizationRole.name === "Owner").id')"
api 409 PUT "/v1/organization/members/$OWNER_ID" "{\"roleId\": \"$ADMIN_ROLE_ID\"}"
api 403 DELETE "/v1/organization/members/$OWNER_ID"

echo; echo "== API keys"
api 200 POST /v1/organization/api-keys "{\"name\": \"Tour key $RUN\"}"
NEW_KEY="$(field 'r.data.apiKey.value')"
NEW_KEY_ID="$(field 'r.data.apiKey.id')"
api 200 GET /v1/organization/api-keys
api 200 GET "/v1/organization/api-keys/$NEW_KEY_ID"
api 200 GET /v1/organization "" "$NEW_KEY"
api 200 PUT "/v1/organization/api-keys/$NEW_KEY_ID" '{"valid": false}'
api 401 GET /v1/organization "" "$NEW_KEY"
api 200 DELETE "/v1/organization/api-keys/$NEW_KEY_ID"

echo; echo "== Projects"
api 200 POST /v1/projects "{\"name\": \"Tour project $RUN\", \"description\": \"Made by the tour\"}"
PROJECT_ID="$(field 'r.data.project.id')"
PROJECT_KEY="$(field 'r.data.apiKey.value')"
api 409 POST /v1/projects "{\"name\": \"TOUR PROJECT $RUN\"}"
api 200 GET /v1/projects
api 200 PUT "/v1/projects/$PROJECT_ID" '{"description": null}'
api 200 GET "/v1/projects/$PROJECT_ID"
api 404 GET /v1/projects/no-such-project
api 403 GET /v1/organization "" "$PROJECT_KEY"

echo; echo "== Project API keys"
api 200 GET "/v1/projects/$PROJECT_ID/api-keys"
api 200 POST "/v1/projects/$PROJECT_ID/api-keys" "{\"name\": \"Tour project key $RUN\"}"
PROJECT_KEY_ID="$(field 'r.data.apiKey.id')"
api 200 PUT "/v1/projects/$PROJECT_ID/api-keys/$PROJECT_KEY_ID" '{"valid": false}'
api 200 DELETE "/v1/projects/$PROJECT_ID/api-keys/$PROJECT_KEY_ID"

echo; echo "== Project roles, policies, permissions"
api 200 GET "/v1/projects/$PROJECT_ID/permissions"
PROJECT_PERMISSION_ID="$(field 'r.data.permissions.find(p => p.name === "dataset:read").id')"
api 200 POST "/v1/projects/$PROJECT_ID/policies" "{\"name\": \"Tour datasets $RUN\", \"permissionIds\": [\"$PROJECT_PERMISSION_ID\"]}"
PROJECT_POLICY_ID="$(field 'r.data.policy.id')"
api 422 POST "/v1/projects/$PROJECT_ID/policies" "{\"name\": \"Org permission $RUN\", \"permissionIds\": [\"$PERMISSION_ID\"]}"
api 200 POST "/v1/projects/$PROJECT_ID/roles" "{\"name\": \"Tour reader $RUN\", \"policyIds\": [\"$PROJECT_POLICY_ID\"]}"
PROJECT_ROLE_ID="$(field 'r.data.role.id')"
api 200 GET "/v1/projects/$PROJECT_ID/roles"
api 200 GET "/v1/projects/$PROJECT_ID/policies"

echo; echo "== Project members and invitations"
api 200 GET "/v1/projects/$PROJECT_ID/members?page=1&pageSize=25"
api 200 POST "/v1/projects/$PROJECT_ID/invitations" "{\"emails\": [\"tour-project-$RUN@example.com\"], \"projectRoleId\": \"$PROJECT_ROLE_ID\"}"
PROJECT_INVITATION_ID="$(field 'r.data.invitations[0].id')"
api 200 GET "/v1/projects/$PROJECT_ID/invitations"
api 404 DELETE "/v1/organization/invitations/$PROJECT_INVITATION_ID"
api 409 DELETE "/v1/projects/$PROJECT_ID/roles/$PROJECT_ROLE_ID"
api 200 DELETE "/v1/projects/$PROJECT_ID/invitations/$PROJECT_INVITATION_ID"
api 200 DELETE "/v1/projects/$PROJECT_ID/roles/$PROJECT_ROLE_ID"
api 200 DELETE "/v1/projects/$PROJECT_ID/policies/$PROJECT_POLICY_ID"

echo; echo "== Governance policies"
api 200 POST /v1/organization/governance-policies "{\"name\": \"Tour governance $RUN\", \"controls\": [{\"name\": \"Toxicity guard\", \"type\": \"RUNTIME\"}]}"
GOVERNANCE_ID="$(field 'r.data.governancePolicy.id')"
api 200 POST "/v1/organization/governance-policies/$GOVERNANCE_ID/assign" "{\"projectIds\": [\"$PROJECT_ID\", \"no-such-project\"]}"
api 200 GET "/v1/organization/governance-policies/$GOVERNANCE_ID/projects?page=1&pageSize=25"
api 200 GET /v1/organization/governance-policies
api 200 POST "/v1/organization/governance-policies/$GOVERNANCE_ID/unassign" "{\"projectIds\": [\"$PROJECT_ID\"]}"
api 200 DELETE "/v1/organization/governance-policies/$GOVERNANCE_ID"
api 404 GET "/v1/organization/governance-policies/$GOVERNANCE_ID/projects"

echo; echo "== Clean up"
api 200 DELETE "/v1/projects/$PROJECT_ID"
api 401 GET /v1/projects "" "$PROJECT_KEY"
api 200 DELETE "/v1/organization/roles/$ROLE_ID"
api 200 DELETE "/v1/organization/policies/$POLICY_ID"

echo; echo "Tour complete: every step answered as expected."
