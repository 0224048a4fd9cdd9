# fleetcpu service image. Build: docker build -t fleetcpu .
# Run it against PostgreSQL with docker-compose.yml (SPRING_DATASOURCE_URL and friends).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw --batch-mode --no-transfer-progress dependency:go-offline
COPY src src
COPY db db
# package also makes the agent's jar and Debian package, from packaging/ (not in the image)
COPY packaging packaging
RUN ./mvnw --batch-mode --no-transfer-progress -Dmaven.test.skip package

FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/fleetcpu --create-home fleetcpu
COPY --from=build /src/target/fleetcpu.jar /opt/fleetcpu/fleetcpu.jar
USER fleetcpu
WORKDIR /var/lib/fleetcpu
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health || exit 1
ENTRYPOINT ["java", "-jar", "/opt/fleetcpu/fleetcpu.jar"]
