# The one image of cdds-operator: `operator` (the controller) and `export` (what export pods run).
#
#   docker build -t ghcr.io/cdds-dev/cdds-operator:0.1.0 .
#
# Checked in CI by hadolint (hack/lint-dockerfile.sh); see docs/image.md.

# The base images are arguments so that hack/image.sh can build this file without a registry, from
# bases made of Debian packages; these defaults are what a normal build pulls.
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=gcr.io/distroless/java17-debian12:nonroot

# --- build: the shaded jar, with the same Maven build as CI (tests run in CI, not here) ---
FROM ${BUILD_IMAGE} AS build
# gzip by libdeflate (docs/exporter.md): the run stage has no package manager, so the library comes
# from here, to a folder of its own that the JVM is told of.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libdeflate0 \
    && mkdir -p /native && cp -L "$(dpkg -L libdeflate0 | grep '/libdeflate\.so\.0$')" /native/ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY localcluster/pom.xml localcluster/
COPY operator/pom.xml operator/
# Dependencies first: a source change does not download them again. The operator's tests use the
# localcluster module, which only the reactor build below can resolve, so this layer takes its
# dependencies (most of the operator's) and the plugins.
RUN mvn -B -q -pl localcluster -Dspotless.check.skip=true dependency:resolve dependency:resolve-plugins
COPY examples/source/schema.sql examples/source/
COPY localcluster/src localcluster/src
COPY operator/src operator/src
RUN mvn -B -q -pl operator -am -Dspotless.check.skip=true -DskipTests package
# Class data sharing (docs/image.md): the classes an export pod loads up to its first query, which
# the run stage archives.
COPY hack/class-list.sh hack/
RUN bash hack/class-list.sh operator/target/cdds-operator.jar /classes.lst

# --- run: a JRE without shell or package manager, as a numeric non-root user ---
FROM ${RUNTIME_IMAGE}
COPY --from=build /src/operator/target/cdds-operator.jar /app/cdds-operator.jar
COPY --from=build /native/ /app/native/
COPY --from=build /classes.lst /app/cds/classes.lst
# The listed classes parsed and verified once, here, by this stage's JVM (an archive only fits the
# JVM and jar it was made with): every pod maps them instead of loading them from the jar.
RUN ["java", "-Xshare:dump", "-XX:SharedClassListFile=/app/cds/classes.lst", "-XX:SharedArchiveFile=/app/cds/cdds.jsa", "-cp", "/app/cdds-operator.jar"]
USER 10001:10001
# The heap follows the container's memory limit; an OutOfMemoryError ends the process, so that
# Kubernetes restarts it (operator) or records the failure (export pod) instead of a sick JVM.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Writes go only to /tmp (an emptyDir in the pods): the root filesystem can be read-only.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/cds/cdds.jsa", "-Djava.io.tmpdir=/tmp", "-Djna.library.path=/app/native", "-jar", "/app/cdds-operator.jar"]
CMD ["operator", "--help"]
