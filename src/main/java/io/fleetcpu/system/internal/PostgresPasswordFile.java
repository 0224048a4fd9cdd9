package io.fleetcpu.system.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password of the embedded PostgreSQL's superuser {@code postgres}, kept in a file that only the user running
 * fleetcpu can read (mode 600 from the moment it exists). Made at first start; an operator may put another
 * password in the file, which the next start gives the superuser.
 */
final class PostgresPasswordFile {

    private static final Logger log = LoggerFactory.getLogger(PostgresPasswordFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PostgresPasswordFile() {}

    /** The password in {@code file}, made and written there first when the file does not exist. */
    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty() || password.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalStateException("the PostgreSQL password file " + file.toAbsolutePath()
                        + " must hold one line with the password; delete it to have a new one made");
            }
            warnIfOthersCanRead(file);
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or create the PostgreSQL password file " + file.toAbsolutePath(), e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            return; // another start made it at the same moment: use that one
        } catch (UnsupportedOperationException e) {
            log.warn("{} is on a file system without POSIX permissions: protect it yourself", file.toAbsolutePath());
            Files.createFile(file);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        log.info("Made a password for the embedded PostgreSQL's superuser and wrote it to {}", file.toAbsolutePath());
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                log.warn(
                        "{} can be read by others ({}): chmod 600 it",
                        file.toAbsolutePath(),
                        PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions to check
        }
    }
}
