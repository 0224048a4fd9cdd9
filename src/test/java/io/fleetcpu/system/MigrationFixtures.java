package io.fleetcpu.system;

import io.fleetcpu.testing.KvmKernel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the migration tests ({@link MigrationToCpuKindsTest}, {@link MigrationFromV11Test}) register and read: hosts
 * registered before a migration, and the rows they find after it.
 */
final class MigrationFixtures {

    private MigrationFixtures() {}

    /** A registration of a host CPU file of {@code src/test/resources/cpudata}, as an older agent sent it. */
    static Map<String, Object> registration(String uuid, String hostname, List<String> aggregates, String hostCpuFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", hostname);
        body.put("aggregates", aggregates);
        body.put("capabilitiesXml", RunningService.capabilities(uuid, hostCpuFile));
        return body;
    }

    /**
     * What the agent sends (AgentFactsApiTest): the hypervisor's view, domain capabilities (49 models usable='no'),
     * kernel and versions.
     */
    static Map<String, Object> agentRegistration() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hostname", "build-1");
        body.put("aggregates", List.of("west"));
        body.put("capabilitiesXml", resource("/hostdata/capabilities-broadwell-kvm-host.xml"));
        body.put("domainCapabilitiesXml", resource("/hostdata/domcapabilities-broadwell-kvm.xml"));
        body.put("hypervisorCpuXml", resource("/hostdata/hypervisor-cpu-kvm64.xml"));
        body.put("kernel", KvmKernel.intel("enabled"));
        body.put("versions", Map.of("libvirt", "9.0.0", "qemu", "7.2.0", "agent", "0.1.0-SNAPSHOT"));
        return body;
    }

    /** The first column of every row a query gives. */
    static List<String> strings(Connection db, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static String resource(String path) {
        try (InputStream in = MigrationFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
