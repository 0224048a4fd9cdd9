package io.fleetcpu.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A token file that holds no token stops fleetcpu at start, and the operator is told which file. */
@ExtendWith(OutputCaptureExtension.class)
class EmptyTokenFileStopsTheStartTest {

    @TempDir
    Path home;

    @Test
    void anEmptyAgentTokenFileStopsTheStartNamingTheFile(CapturedOutput output) throws IOException {
        Path agents = Files.writeString(home.resolve("agent-tokens"), "   \n");

        assertThatThrownBy(() -> RunningService.start(
                        "--fleetcpu.embedded-postgres.data-directory=" + home.resolve("postgres"),
                        "--fleetcpu.security.agent.token-files=" + agents))
                .isInstanceOf(RuntimeException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("token file " + agents.toAbsolutePath() + " holds no token");
    }
}
