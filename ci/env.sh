# Sourced by ci/example and ci/test: the toolchain and the fixture Python first on PATH.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -d /opt/swift/usr/bin ]] && PATH="/opt/swift/usr/bin:$PATH"
PATH="$root/.venv/bin:$PATH"
export PATH
export MLGATE_PYTHON="$root/.venv/bin/python3"
if [[ -z "${JAVA_HOME:-}" ]] && command -v java >/dev/null 2>&1; then
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  export JAVA_HOME
fi
