# Shared by ./antpool and bin/*: locates the installation and the JDK, and builds the jars on first use.
# Sourced, not run.

ANTPOOL_HOME="${ANTPOOL_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
export ANTPOOL_HOME
ANTPOOL_JAR="$ANTPOOL_HOME/dist/target/antpool.jar"
ANTPOOL_DEMO_JAR="$ANTPOOL_HOME/demo/target/antpool-demo.jar"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
else
  JAVA="$(command -v java || true)"
fi
if [ -z "$JAVA" ]; then
  echo "AntPool needs Java 17 or newer: install a JDK (e.g. apt-get install openjdk-17-jdk) or set JAVA_HOME" >&2
  exit 1
fi

antpool_ensure_built() {
  if [ ! -f "$ANTPOOL_JAR" ] || [ ! -f "$ANTPOOL_DEMO_JAR" ]; then
    if ! command -v mvn >/dev/null 2>&1; then
      echo "AntPool is not built yet and Maven (mvn) is not installed: install Maven 3.8+ (apt-get install maven)" >&2
      exit 1
    fi
    echo "Building AntPool (first use; this takes a minute)..." >&2
    (cd "$ANTPOOL_HOME" && mvn -B -q -DskipTests package) >&2 || {
      echo "The build failed; run 'mvn -B -DskipTests package' in $ANTPOOL_HOME to see why" >&2
      exit 1
    }
  fi
}
