package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Roles on every endpoint with fleetcpu.security.reads-need-credential=true: reads are the viewer's. */
@TestPropertySource(properties = "fleetcpu.security.reads-need-credential=true")
class ClosedReadsApiTest extends EndpointRoles {

    @Override
    Set<Caller> readers() {
        return READERS;
    }

    @Test
    void healthAndTheApiDocumentStayOpen() {
        assertThat(get("/actuator/health").status()).isEqualTo(200);
        assertThat(get("/v3/api-docs").status()).isEqualTo(200);
        assertProblem(get("/hosts"), 401);
    }
}
