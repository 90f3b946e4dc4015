# Shared by the bench scripts: a JDK 21+, compiled classes and the dependency classpath in $CP.
bench_classpath() {
  if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    for j in /usr/lib/jvm/*/bin/java; do
      if "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then JAVA_HOME="$(dirname "$(dirname "$j")")"; break; fi
    done
  fi
  export JAVA_HOME
  ./mvnw -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
  CP="target/classes:target/test-classes:$(cat target/bench.classpath)"
}
