# The Migration Gate image for a container engine: the operator and the migration runner (`run`)
# in one jar. The build itself writes the image without an engine (operator/target/image, defined
# by operator/src/test/java/io/migrationgate/image/ImageSpec.java); BuiltImageIT keeps the JVM
# flags of the ENTRYPOINT below equal to that image's. Change both together.
#
# Build the jar first, then the image (no Maven inside the image build, so the image holds
# exactly the jar that the build tested):
#   ./mvnw -B verify                      # -> operator/target/migration-gate.jar and .classlist
#   docker build -t migration-gate:dev .
#
# Runs as the numeric non-root user 65532 and writes nothing outside /tmp, so it works with
# runAsNonRoot, readOnlyRootFilesystem: true and an emptyDir mounted at /tmp.
FROM eclipse-temurin:17-jre

COPY operator/target/migration-gate.jar operator/target/migration-gate.classlist /app/

# The class-data archive of the runner's Jobs (their command, io.migrationgate.contract.RunnerJvm,
# maps it with -XX:SharedArchiveFile): the classes a plan and a run load, parsed, verified and laid
# out once here instead of in every Job, which cuts a plan's CPU time by a third
# (docs/benchmarks.md, "The plan program's cost"). The build recorded which classes
# (RunnerClassDataArchive); the archive is dumped here by this image's java because an archive maps
# only into the JVM build that wrote it, and only for the jar at this path.
RUN ["java", "-Xshare:dump", "-XX:SharedClassListFile=/app/migration-gate.classlist", "-XX:SharedArchiveFile=/app/migration-gate.jsa", "-cp", "/app/migration-gate.jar"]

USER 65532:65532
WORKDIR /tmp
ENV HOME=/tmp

# JVM flags of the operator, each measured (docs/benchmarks.md, "Operator"; the benchmark reads them
# from this line). The runner's Jobs replace this entrypoint with their own command (RunnerJvm).
# -Djava.io.tmpdir=/tmp: the only writable path under a read-only root filesystem (emptyDir).
# -XX:-UsePerfData: no hsperfdata file, nothing for the JVM itself to write.
# -XX:MaxRAMPercentage=65: size the heap from the container's memory limit, not the node's, and
#   leave the rest for what is not heap: 95-110 MiB measured for the operator (metaspace, code,
#   threads, the JVM itself). With the chart's 384Mi limit that is a 250 MiB heap and 134 MiB
#   beside it; 10,000 requests at rest held 102 MiB of heap (docs/benchmarks.md).
# -XX:+UseSerialGC: a small heap on a fraction of a core; G1's own structures took 38 MiB of an
#   idle operator's 164 MiB resident set, the serial collector's take 0.2 MiB.
# -XX:TieredStopAtLevel=1: the client compiler only. The operator waits on the API server, so peak
#   compiled speed buys nothing; it took the idle operator's resident set from 147 to 120 MiB (less
#   code cache, metaspace and compiler threads) and start-up to ready from 2.4-4.0 s to 1.7-2.2 s.
# -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30: give the heap back after a burst of requests
#   instead of keeping its high-water mark (committed heap at rest 43 -> 29 MiB).
# -XX:MaxNewSize=8m: the young generation is touched end to end between collections, so all of it
#   is resident; the serial collector grew it to 16-50 MiB with the heap. Capped, a collection
#   comes sooner and costs little, since little survives (1,000 requests at rest: 169 -> 157 MiB).
# -XX:+ExitOnOutOfMemoryError: a broken JVM must end the Pod, not linger half alive.
ENTRYPOINT ["java", "-Djava.io.tmpdir=/tmp", "-XX:-UsePerfData", "-XX:MaxRAMPercentage=65", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxNewSize=8m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/migration-gate.jar"]
