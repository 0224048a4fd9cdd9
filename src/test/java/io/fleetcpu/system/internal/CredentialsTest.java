package io.fleetcpu.system.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcpu.system.Credential;
import io.fleetcpu.system.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where tokens come from: properties, token files, and the operator token fleetcpu makes at first start. */
class CredentialsTest {

    @TempDir
    Path home;

    private static SecurityProperties.RoleTokens none() {
        return new SecurityProperties.RoleTokens(List.of(), List.of());
    }

    private SecurityProperties security(List<String> tokens, SecurityProperties.RoleTokens agent) {
        return new SecurityProperties(tokens, home.resolve("data/api-token").toString(), none(), agent, none(), false);
    }

    @Test
    void theOperatorTokenMadeAtFirstStartIsTheOwnersAloneAndKeptForTheNextStart() throws IOException {
        Credentials first = new Credentials(security(List.of(), none()));
        Path file = home.resolve("data/api-token");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(file).strip();
        assertThat(first.find(token)).get().extracting(Credential::role).isEqualTo(Role.OPERATOR);

        Credentials second = new Credentials(security(List.of(), none()));
        assertThat(second.find(token)).get().extracting(Credential::role).isEqualTo(Role.OPERATOR);
        assertThat(second.find("something else")).isEmpty();
    }

    @Test
    void anEmptyOrBlankTokenFileStopsTheStartNamingTheFile() throws IOException {
        Path generated = Files.createDirectories(home.resolve("data")).resolve("api-token");
        Files.writeString(generated, " \n\t\n");
        assertThatThrownBy(() -> new Credentials(security(List.of(), none())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(generated.toAbsolutePath().toString())
                .hasMessageContaining("holds no token");

        Path agents = home.resolve("agent-tokens");
        Files.writeString(agents, "# one token per compute node\n\n");
        assertThatThrownBy(() -> new Credentials(security(
                        List.of("operator-token"),
                        new SecurityProperties.RoleTokens(List.of(), List.of(agents.toString())))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(agents.toAbsolutePath().toString());
    }

    @Test
    void aMissingTokenFileStopsTheStart() {
        Path missing = home.resolve("no-such-file");
        assertThatThrownBy(() -> new Credentials(security(
                        List.of("operator-token"),
                        new SecurityProperties.RoleTokens(List.of(), List.of(missing.toString())))))
                .hasMessageContaining(missing.toAbsolutePath().toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void eachLineOfAnAgentTokenFileIsAnAgentOfItsOwn() throws IOException {
        Path agents = home.resolve("agent-tokens");
        Files.writeString(agents, "# compute-1\ntoken-of-compute-1\n\n  token-of-compute-2  \n");
        Credentials credentials = new Credentials(security(
                List.of("operator-token"), new SecurityProperties.RoleTokens(List.of(), List.of(agents.toString()))));

        Credential one = credentials.find("token-of-compute-1").orElseThrow();
        Credential two = credentials.find("token-of-compute-2").orElseThrow();
        assertThat(List.of(one.role(), two.role())).containsOnly(Role.AGENT);
        assertThat(one.fingerprint()).isNotEqualTo(two.fingerprint()).hasSize(64);
        assertThat(credentials.find("# compute-1")).isEmpty();
        assertThat(credentials.find("operator-token"))
                .get()
                .extracting(Credential::role)
                .isEqualTo(Role.OPERATOR);
        assertThat(Files.exists(home.resolve("data/api-token")))
                .as("no operator token made: one is configured")
                .isFalse();
    }

    @Test
    void oneTokenInTwoRolesStopsTheStart() {
        assertThatThrownBy(() -> new Credentials(
                        security(List.of("shared"), new SecurityProperties.RoleTokens(List.of("shared"), List.of()))))
                .hasMessageContaining("both as operator and as agent");
    }
}
