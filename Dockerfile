# podhogs's image: the node agent (and the command line) with its runtime and libpcap, nothing else.
#
#   docker build -t podhogs .                                  # JVM variant, built from source
#   docker build --build-arg APP=prebuilt -t podhogs .         # JVM variant from ./target/quarkus-app
#                                                              #   (./mvnw package first: CI builds once)
#   docker build --build-arg VARIANT=native -t podhogs .       # native variant (NOT verified: README)
#
# Base images are build arguments, so that a registry mirror, or an image made locally where
# nothing can be pulled (src/test/image/debian-base.sh), can stand in. Needs BuildKit
# (DOCKER_BUILDKIT=1 on Docker 20.10), which builds only the stages the variant uses.

ARG BASE_IMAGE=debian:bookworm-slim
ARG BUILDER_IMAGE=eclipse-temurin:17-jdk
ARG NATIVE_BUILDER_IMAGE=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25
ARG VARIANT=jvm
ARG APP=source

# ---- the JVM application, built from source with the Maven wrapper
FROM ${BUILDER_IMAGE} AS app-source
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY src src
RUN ./mvnw -B -ntp package -Dmaven.test.skip=true && mv target/quarkus-app /app

# ---- or the JVM application as ./mvnw package left it in target/
FROM scratch AS app-prebuilt
COPY target/quarkus-app /app

FROM app-${APP} AS app

# ---- the native executable (Mandrel; configuration in src/main/resources/META-INF/native-image)
FROM ${NATIVE_BUILDER_IMAGE} AS native-build
USER root
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY src src
RUN ./mvnw -B -ntp package -Pnative -Dmaven.test.skip=true && cp target/*-runner /podhogs-native

# ---- what both variants run on: libpcap (pcap4j loads it with JNA at run time)
FROM ${BASE_IMAGE} AS runtime-base
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
# The root filesystem is read-only in the chart: everything that writes goes to /tmp (an emptyDir).
ENV TMPDIR=/tmp
EXPOSE 9810

FROM runtime-base AS runtime-jvm
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY --from=app /app /opt/podhogs
COPY docker/podhogs-jvm /usr/local/bin/podhogs
# Heap from the container's memory limit; the serial collector, its free ratios and young size,
# C1 only, as ./podhogs runs it (BENCHMARKS.md, docs/memory.md); an OutOfMemoryError ends the
# process (the kubelet restarts it) rather than a thread of it; JNA unpacks its native library into
# java.io.tmpdir, which must allow exec.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:NewRatio=3 -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["/usr/local/bin/podhogs"]
CMD ["agent"]

FROM runtime-base AS runtime-native
COPY --from=native-build /podhogs-native /opt/podhogs/podhogs
ENTRYPOINT ["/opt/podhogs/podhogs"]
CMD ["agent"]

FROM runtime-${VARIANT}
