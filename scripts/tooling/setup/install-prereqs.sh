#!/usr/bin/env bash
# install-prereqs: installs what the checks need and npm cannot provide:
#   - Java 11+ (apex-semantic runs apex-ls, apex-pmd runs PMD; both are Java programs),
#   - Chromium (browser tests).
# Idempotent: when `java` is 11 or later and `chromium` is on PATH it says so and exits 0 at once.
# Installs with apt-get (Debian/Ubuntu) when running as root; otherwise prints the exact command
# to run and exits 1, so a missing prerequisite is never skipped silently.
#
# Usage: bash scripts/tooling/setup/install-prereqs.sh [--java] [--chromium] [--check]
#          --java      Java (what the Apex checks need; run-all.js uses this)
#          --chromium  Chromium (what the dashboard browser test and benchmark need)
#          --check     report only, install nothing (exit 1 when something is missing)
#        Without --java or --chromium: both.
#        npm run prereqs
set -euo pipefail

JAVA_PACKAGE="default-jre-headless" # Debian 12: OpenJDK 17; Ubuntu 22.04+: OpenJDK 11 or later
CHROMIUM_PACKAGE="chromium"         # Debian; Ubuntu ships chromium as a snap (see message below)
MIN_JAVA=11
CHECK_ONLY=false
ONLY_JAVA=false
ONLY_CHROMIUM=false
for arg in "$@"; do
  case "$arg" in
    --check) CHECK_ONLY=true ;;
    --java) ONLY_JAVA=true ;;
    --chromium) ONLY_CHROMIUM=true ;;
    *)
      echo "install-prereqs: unknown option '$arg' (use --java, --chromium and/or --check)" >&2
      exit 2
      ;;
  esac
done
# Naming one prerequisite limits the run to it; naming both, or none, means both.
NEED_JAVA=true
NEED_CHROMIUM=true
if $ONLY_JAVA && ! $ONLY_CHROMIUM; then NEED_CHROMIUM=false; fi
if $ONLY_CHROMIUM && ! $ONLY_JAVA; then NEED_JAVA=false; fi

# Prints the Java major version of `java` on PATH, or nothing when java does not run.
java_major() {
  local line
  line="$(java -version 2>&1 | grep -i 'version' | head -n 1)" || return 0
  # openjdk version "17.0.15" / java version "1.8.0_392" / openjdk version "21" 2023-09-19
  echo "$line" | sed -E -n 's/.*version "?([0-9]+)(\.([0-9]+))?.*/\1 \3/p' | awk '{ print ($1 == 1 && $2 != "") ? $2 : $1 }'
}

chromium_path() {
  command -v chromium 2>/dev/null || command -v chromium-browser 2>/dev/null || true
}

missing_packages() {
  local major
  if $NEED_JAVA; then
    major="$(java_major)"
    if [[ -z "$major" || "$major" -lt "$MIN_JAVA" ]]; then
      echo -n "$JAVA_PACKAGE "
    fi
  fi
  if $NEED_CHROMIUM && [[ -z "$(chromium_path)" ]]; then
    echo -n "$CHROMIUM_PACKAGE "
  fi
}

report() {
  local major chromium
  chromium="$(chromium_path)"
  if $NEED_JAVA; then
    major="$(java_major)"
    if [[ -z "$major" ]]; then
      echo "  java:     not found"
    elif [[ "$major" -lt "$MIN_JAVA" ]]; then
      echo "  java:     Java $major at $(command -v java) (too old, need ${MIN_JAVA}+)"
    else
      echo "  java:     Java $major at $(command -v java)"
    fi
  fi
  if $NEED_CHROMIUM; then
    echo "  chromium: ${chromium:-not found}"
  fi
}

MISSING="$(missing_packages)"
MISSING="${MISSING% }"
if [[ -z "$MISSING" ]]; then
  echo "✔ prerequisites: already installed"
  report
  exit 0
fi

NEEDS=()
$NEED_JAVA && NEEDS+=("Java ${MIN_JAVA}+")
$NEED_CHROMIUM && NEEDS+=("Chromium")
echo "Missing prerequisites (need ${NEEDS[*]}):"
report

APT_COMMAND="apt-get update && apt-get install -y --no-install-recommends ${MISSING}"
if $CHECK_ONLY; then
  echo "✖ prerequisites: missing ${MISSING} (--check: nothing installed). Run: npm run prereqs"
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "✖ prerequisites: apt-get is not available, install them yourself, for example:"
  if [[ "$(uname -s)" == "Darwin" ]]; then
    echo "    brew install openjdk@17 && brew install --cask chromium"
  else
    echo "    a Java ${MIN_JAVA}+ runtime (e.g. OpenJDK 17) and Chromium from your package manager"
  fi
  exit 1
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "✖ prerequisites: installing needs root. Run:"
  echo "    sudo sh -c '${APT_COMMAND}'"
  exit 1
fi

echo "Installing: ${MISSING}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # MISSING is a space-separated package list
apt-get install -y --no-install-recommends ${MISSING}

# Verify rather than trust the install.
MISSING_AFTER="$(missing_packages)"
if [[ -n "${MISSING_AFTER% }" ]]; then
  echo "✖ prerequisites: still missing after install: ${MISSING_AFTER}"
  report
  echo "  If an older Java is still first on PATH, select the new one: update-alternatives --config java"
  exit 1
fi
echo "✔ prerequisites: installed"
report
