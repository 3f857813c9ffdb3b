# The one Migration Gate image: the operator and the migration runner (`run`) in one jar.
#
# Build the jar first, then the image (no Maven inside the image build, so the image holds
# exactly the jar that the build tested):
#   ./mvnw -B verify                      # -> operator/target/migration-gate.jar
#   docker build -t migration-gate:dev .
#
# Runs as the numeric non-root user 65532 and writes nothing outside /tmp, so it works with
# runAsNonRoot, readOnlyRootFilesystem: true and an emptyDir mounted at /tmp.
FROM eclipse-temurin:17-jre

COPY operator/target/migration-gate.jar /app/migration-gate.jar

USER 65532:65532
WORKDIR /tmp
ENV HOME=/tmp

# -Djava.io.tmpdir=/tmp: the only writable path under a read-only root filesystem (emptyDir).
# -XX:-UsePerfData: no hsperfdata file, nothing for the JVM itself to write.
# -XX:MaxRAMPercentage: size the heap from the container's memory limit, not the node's.
# -XX:+ExitOnOutOfMemoryError: a broken JVM must end the Pod, not linger half alive.
ENTRYPOINT ["java", "-Djava.io.tmpdir=/tmp", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/migration-gate.jar"]
