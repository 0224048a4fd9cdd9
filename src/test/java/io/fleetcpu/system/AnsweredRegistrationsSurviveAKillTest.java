package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A host the service answered 201 (or 200) for is stored for good: after {@code kill -9} of the JVM and of every
 * PostgreSQL process at a random moment of a registration storm, and a restart on the same data directory, every
 * answered host is there, whole. (zonky's defaults, fsync and synchronous_commit off, lost some: a commit was
 * answered before its WAL reached the disk.)
 */
class AnsweredRegistrationsSurviveAKillTest {

    private static final int ROUNDS = 3;
    private static final int AGENTS = 12;

    @TempDir
    Path home;

    @Test
    void everyHostAnsweredBeforeTheKillIsThereWholeAfterARestart() throws Exception {
        Random random = new Random();
        List<RegistrationStorm.Registration> answeredInAllRounds = new ArrayList<>();
        ServiceProcess service = ServiceProcess.start(home);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                RegistrationStorm storm = RegistrationStorm.start(service, "round" + round, AGENTS);
                storm.killAfterAnswers(20 + random.nextInt(150), service::killEverything);
                assertThat(service.jvm().waitFor(60, TimeUnit.SECONDS))
                        .as("killed mid-storm")
                        .isTrue();
                storm.stop();
                List<RegistrationStorm.Registration> answered = storm.answered().stream()
                        .filter(r -> r.status() == 200 || r.status() == 201)
                        .toList();
                assertThat(answered)
                        .as("registrations answered before the kill")
                        .isNotEmpty();
                answeredInAllRounds.addAll(answered);

                service = ServiceProcess.start(home);
                List<String> missing = missingOrChanged(service, answeredInAllRounds);
                System.out.printf(
                        "round %d: %d registrations answered 200/201 before kill -9 (%d answered in all, "
                                + "%d requests cut off); after the restart %d of %d present and whole%n",
                        round,
                        answered.size(),
                        storm.answered().size(),
                        storm.unanswered(),
                        answeredInAllRounds.size() - missing.size(),
                        answeredInAllRounds.size());
                assertThat(missing)
                        .as("hosts answered before a kill -9, missing or changed after the restart")
                        .isEmpty();
            }
        } finally {
            service.close();
        }
    }

    private static List<String> missingOrChanged(
            ServiceProcess service, List<RegistrationStorm.Registration> answered) {
        List<String> wrong = new ArrayList<>();
        for (RegistrationStorm.Registration sent : answered) {
            HttpResponse<String> found = service.get("/hosts/" + sent.id());
            if (found.statusCode() != 200) {
                wrong.add(sent.hostname() + " " + sent.id() + ": " + found.statusCode());
                continue;
            }
            JsonNode stored = RegistrationStorm.JSON.readTree(found.body());
            List<String> aggregates = new ArrayList<>();
            stored.path("aggregates").forEach(a -> aggregates.add(a.asString()));
            if (!stored.path("hostname").asString().equals(sent.hostname())
                    || !aggregates.equals(sent.aggregates())
                    || !stored.path("kind").equals(sent.answer().path("kind"))
                    || !stored.path("cpu").equals(sent.answer().path("cpu"))) {
                wrong.add(sent.hostname() + " " + sent.id() + " stored as " + found.body());
            }
        }
        return wrong;
    }
}
