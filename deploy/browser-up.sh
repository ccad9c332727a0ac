#!/usr/bin/env bash
# Browser tests need Debian's Chromium (Playwright drives it via executable_path; we never run
# `playwright install`, which downloads from a CDN an intranet CI cannot reach) and CJK fonts,
# without which every Chinese label renders as boxes in screenshots.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "browser-up: not root; missing ${need[*]} (browser tests will skip)" >&2
  exit 0
fi
echo "browser-up: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
