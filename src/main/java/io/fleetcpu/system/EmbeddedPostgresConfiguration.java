package io.fleetcpu.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL next to the service unless {@code spring.datasource.url} points at one,
 * so that a fresh machine with only a JDK runs fleetcpu with one command and keeps its data.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
public class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) {
        File dataDirectory = new File(properties.dataDirectory()).getAbsoluteFile();
        if (!dataDirectory.isDirectory() && !dataDirectory.mkdirs()) {
            throw new IllegalStateException("cannot create the PostgreSQL data directory " + dataDirectory);
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(properties.clean());
            if (properties.port() > 0) {
                builder.setPort(properties.port());
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDirectory, e);
        }
    }

    @Bean(destroyMethod = "close")
    @org.springframework.boot.context.properties.ConfigurationProperties("spring.datasource.hikari")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(10);
        dataSource.setPoolName("fleetcpu-embedded");
        return dataSource;
    }
}
