package io.fleetcpu.system.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of API tokens, one a line; blank lines and lines starting with {@code #} are skipped. A file that holds
 * no token stops the start: an empty file is a mistake (a token written nowhere), never "no credential needed".
 */
record TokenFile(Path path) {

    private static final Logger log = LoggerFactory.getLogger(TokenFile.class);

    /** The tokens in the file; fails naming the file when it is missing, unreadable or holds no token. */
    List<String> tokens() {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CredentialConfigurationException("token file " + path.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw new CredentialConfigurationException(
                    "cannot read token file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        List<String> tokens = lines.stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        if (tokens.isEmpty()) {
            throw new CredentialConfigurationException("token file " + path.toAbsolutePath() + " holds no token (it "
                    + "is empty or only blank lines and comments): write one token per line, or delete the file if "
                    + "fleetcpu made it, and it makes a new one");
        }
        return tokens;
    }

    /**
     * Makes the file with a new random token, readable and writable by its owner alone from the moment it exists.
     *
     * @return the new token
     */
    String create() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try {
                Files.createFile(
                        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                log.warn("{} is not on a POSIX file system: cannot make it readable by its owner alone", path);
                Files.createFile(path);
            }
            Files.writeString(path, token + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new CredentialConfigurationException(
                    "token file " + path.toAbsolutePath() + " appeared while fleetcpu was making it; start again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write token file " + path.toAbsolutePath(), e);
        }
        return token;
    }
}
