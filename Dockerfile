# The hub from this repository: build with Maven, run the thin jar with its lib/ folder.
# Route files and operator settings are not in the image: docker-compose.yml mounts routes/ and
# config/ read-only, so adding a system is a new file and a restart, not a rebuild (without the
# mount, the jar's own copies of the shipped routes are used).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
# curl for the healthcheck (GET /observe/health); the hub runs as its own user, which owns the data folder.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /opt/hms-sync --no-create-home hms \
 && mkdir -p /var/lib/hms-sync /opt/hms-sync/routes /opt/hms-sync/config \
 && chown hms:hms /var/lib/hms-sync
WORKDIR /opt/hms-sync
COPY --from=build /src/target/hms-sync.jar hms-sync.jar
COPY --from=build /src/target/lib lib
ENV HMS_HTTP_HOST=0.0.0.0 \
    HMS_DATA_DIR=/var/lib/hms-sync \
    JAVA_OPTS="-XX:+UseParallelGC"
VOLUME /var/lib/hms-sync
USER hms
EXPOSE 8080
# JAVA_OPTS carries heap and GC flags (e.g. -Xms512m -Xmx512m); exec keeps java as PID 1 so SIGTERM
# reaches the hub; arguments after the image name (validate, verify-ledger, ...) go to the jar.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar hms-sync.jar \"$@\"", "hms-sync"]
