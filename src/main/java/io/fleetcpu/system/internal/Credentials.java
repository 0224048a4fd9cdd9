package io.fleetcpu.system.internal;

import io.fleetcpu.system.Credential;
import io.fleetcpu.system.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every configured token, by the SHA-256 of the token: looking a token up compares digests, so how long a lookup
 * takes tells nothing about the tokens. Read once, at start; a token that is configured for two roles, or a token
 * file that holds no token, stops the start.
 */
@Component
class Credentials {

    private static final Logger log = LoggerFactory.getLogger(Credentials.class);

    private final Map<String, Credential> byFingerprint = new HashMap<>();

    Credentials(SecurityProperties security) {
        List<String> operators = new ArrayList<>(tokens(security.operator()));
        operators.addAll(security.tokens().stream()
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList());
        if (operators.isEmpty()) {
            operators.addAll(generatedOperatorTokens(new TokenFile(Path.of(security.tokenFile()))));
        }
        add(Role.OPERATOR, operators);
        add(Role.AGENT, tokens(security.agent()));
        add(Role.VIEWER, tokens(security.viewer()));
    }

    /** The credential of this token, if it is one. */
    Optional<Credential> find(String token) {
        return Optional.ofNullable(byFingerprint.get(Credential.fingerprint(token.strip())));
    }

    private static List<String> tokens(SecurityProperties.RoleTokens configured) {
        return Stream.concat(
                        configured.tokens().stream(),
                        configured.tokenFiles().stream()
                                .filter(f -> !f.isBlank())
                                .flatMap(f -> new TokenFile(Path.of(f.strip())).tokens().stream()))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList();
    }

    private static List<String> generatedOperatorTokens(TokenFile file) {
        if (Files.exists(file.path())) {
            return file.tokens();
        }
        String token = file.create();
        log.info(
                "No operator token configured: made one and wrote it to {}",
                file.path().toAbsolutePath());
        return List.of(token);
    }

    private void add(Role role, List<String> tokens) {
        for (String token : tokens) {
            Credential credential = Credential.of(role, token);
            Credential before = byFingerprint.putIfAbsent(credential.fingerprint(), credential);
            if (before != null && before.role() != role) {
                throw new CredentialConfigurationException(
                        "one token is configured both as " + before.role().label()
                                + " and as " + role.label() + " (fingerprint "
                                + credential.fingerprint().substring(0, 12)
                                + "…): give each role its own tokens");
            }
        }
    }
}
