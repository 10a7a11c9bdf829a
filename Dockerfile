# The hub from this repository: build with Maven, run the thin jar with its lib/ folder.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /opt/hms-sync
COPY --from=build /src/target/hms-sync.jar hms-sync.jar
COPY --from=build /src/target/lib lib
COPY routes routes
ENV HMS_HTTP_HOST=0.0.0.0 \
    HMS_DATA_DIR=/var/lib/hms-sync
VOLUME /var/lib/hms-sync
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseParallelGC", "-jar", "hms-sync.jar"]
