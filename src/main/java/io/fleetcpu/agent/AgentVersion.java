package io.fleetcpu.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/** The agent's own version: the pom's, as the jar's manifest or Maven's pom.properties carry it. */
final class AgentVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/io.fleetcpu/fleetcpu/pom.properties";

    private AgentVersion() {}

    /** @return e.g. {@code 0.1.0-SNAPSHOT}, or null when run from classes outside a jar (tests, an IDE) */
    static @Nullable String current() {
        String fromManifest = AgentVersion.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
        try (InputStream in = AgentVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version");
            }
        } catch (IOException e) {
            // no version is better than no registration
        }
        return null;
    }
}
