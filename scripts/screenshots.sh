#!/usr/bin/env bash
# Take screenshots of the main pages from a running server with headless
# Chromium (Debian package "chromium").
#
# Usage: scripts/screenshots.sh [BASE_URL] [OUTPUT_DIR]
#   BASE_URL    default http://127.0.0.1:8000 (run migrate and seed_demo first)
#   OUTPUT_DIR  default docs/screenshots
# Writes {hub,team,leaderboard}-{desktop,phone}.png. The team page is the
# first team linked from the hub, unless TEAM_SLUG is set.
set -euo pipefail

base_url="${1:-http://127.0.0.1:8000}"
base_url="${base_url%/}"
output_dir="${2:-docs/screenshots}"
browser="${CHROMIUM:-chromium}"

if ! command -v "$browser" >/dev/null 2>&1; then
  echo "error: $browser not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
if ! curl -fsS -o /dev/null "$base_url/teams/hub/"; then
  echo "error: no response from $base_url/teams/hub/; start the server first" >&2
  exit 1
fi

team_slug="${TEAM_SLUG:-}"
if [[ -z "$team_slug" ]]; then
  # The first link to a team page in the hub's top lists.
  team_slug="$(curl -fsS "$base_url/teams/hub/" \
    | grep -o 'class="top-team" href="/teams/[a-z0-9-]*/"' \
    | head -n 1 | sed -E 's|.*/teams/([a-z0-9-]+)/"|\1|')"
fi
if [[ -z "$team_slug" ]]; then
  echo "error: the hub lists no team; run manage.py seed_demo first" >&2
  exit 1
fi

mkdir -p "$output_dir"
profile_dir="$(mktemp -d)"
trap 'rm -rf "$profile_dir"' EXIT

shoot() {
  local url="$1" file="$2" width="$3" height="$4"
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile_dir" \
    --window-size="$width,$height" --screenshot="$file" "$url" >/dev/null 2>&1
  echo "wrote $file"
}

declare -A pages=(
  [hub]="/teams/hub/"
  [team]="/teams/$team_slug/"
  [leaderboard]="/teams/leaderboard/"
)
for page in hub team leaderboard; do
  shoot "$base_url${pages[$page]}" "$output_dir/$page-desktop.png" 1280 1600
  shoot "$base_url${pages[$page]}" "$output_dir/$page-phone.png" 390 1500
done
