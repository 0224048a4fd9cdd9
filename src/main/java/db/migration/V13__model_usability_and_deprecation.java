package db.migration;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.libvirtxml.ModelUsability;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;

/**
 * Keeps, per kind, what the domain capabilities say of each named model besides usable='yes': the models the
 * hypervisor marks deprecated (libvirt writes deprecated='yes' when QEMU reports it; nova's cpu_models leaves them
 * out), and those reported usable='unknown' and usable='no' (KubeVirt's node-labeller labels the former as models
 * and both as migration targets). They are part of a kind's facts, so each host gets the kind a registration of its
 * stored report computes now: read from the host's own domain capabilities document; a kind whose hosts' documents
 * give different lists splits. Kinds without a document keep the lists null (not known).
 */
public class V13__model_usability_and_deprecation extends BaseJavaMigration {

    private static final String COLUMNS = V7__host_kinds.CPU_COLUMNS + ", "
            + Arrays.stream(V7__host_kinds.CPU_COLUMNS.split(", "))
                    .map(c -> "hypervisor_" + c)
                    .reduce((a, b) -> a + ", " + b)
                    .orElseThrow()
            + ", host_model, usable_models, supported_cpu_modes, kvm_module, nested, virtualization_flag, catalog,"
            + " first_seen_at";

    /** The three lists of one host's document, or null when it has none (or one that no longer reads). */
    private record Lists(List<String> deprecated, List<String> unknown, List<String> unusable) {

        static @Nullable Lists of(@Nullable String domainCapabilitiesXml) {
            if (domainCapabilitiesXml == null) {
                return null;
            }
            try {
                DomainCapabilities caps = DomainCapabilities.parse(domainCapabilitiesXml);
                return new Lists(
                        caps.deprecatedModelNames(),
                        caps.modelNames(ModelUsability.UNKNOWN),
                        caps.modelNames(ModelUsability.NO));
            } catch (MalformedXmlException | IllegalArgumentException e) {
                return null;
            }
        }
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("alter table cpu_kind add column deprecated_models text[], add column unknown_models text[], "
                    + "add column unusable_models text[]");
        }
        Map<String, CpuKindFacts> kinds = new HashMap<>();
        try (Statement read = connection.createStatement();
                ResultSet row = read.executeQuery("select * from cpu_kind")) {
            while (row.next()) {
                // V12 gave every kind its catalog, part of the id for kinds read with another map than 9.0's
                CpuKindFacts facts = V7__host_kinds.facts(row);
                kinds.put(
                        row.getString("id"),
                        new CpuKindFacts(
                                facts.cpu(),
                                facts.hypervisorCpu(),
                                facts.guestModels(),
                                facts.kvmModule(),
                                facts.nested(),
                                facts.virtualizationFlag(),
                                row.getString("catalog"),
                                MigrationFacts.UNKNOWN));
            }
        }
        Set<String> written = new HashSet<>();
        Set<String> left = new HashSet<>();
        try (Statement read = connection.createStatement();
                ResultSet host = read.executeQuery("select id, kind_id, domain_capabilities_xml from host");
                PreparedStatement copy = connection.prepareStatement("insert into cpu_kind (id, " + COLUMNS
                        + ", deprecated_models, unknown_models, unusable_models) select ?, " + COLUMNS
                        + ", ?, ?, ? from cpu_kind where id = ? on conflict (id) do nothing");
                PreparedStatement fill = connection.prepareStatement("update cpu_kind set deprecated_models = ?, "
                        + "unknown_models = ?, unusable_models = ? where id = ?");
                PreparedStatement move = connection.prepareStatement("update host set kind_id = ? where id = ?")) {
            while (host.next()) {
                String kind = host.getString("kind_id");
                Lists lists = Lists.of(host.getString("domain_capabilities_xml"));
                CpuKindFacts facts = kinds.get(kind);
                if (lists == null || facts == null || facts.guestModels() == null) {
                    continue;
                }
                GuestModels m = facts.guestModels();
                String id = new CpuKindFacts(
                                facts.cpu(),
                                facts.hypervisorCpu(),
                                new GuestModels(
                                        m.hostModel(),
                                        m.usableModels(),
                                        m.supportedModes(),
                                        lists.deprecated(),
                                        lists.unknown(),
                                        lists.unusable()),
                                facts.kvmModule(),
                                facts.nested(),
                                facts.virtualizationFlag(),
                                facts.catalog(),
                                MigrationFacts.UNKNOWN)
                        .id();
                if (id.equals(kind)) {
                    if (written.add(id)) {
                        set(connection, fill, 1, lists);
                        fill.setString(4, id);
                        fill.executeUpdate();
                    }
                    continue;
                }
                if (written.add(id)) {
                    copy.setString(1, id);
                    set(connection, copy, 2, lists);
                    copy.setString(5, kind);
                    copy.executeUpdate();
                }
                move.setString(1, id);
                move.setObject(2, host.getObject("id", UUID.class));
                move.executeUpdate();
                left.add(kind);
            }
        }
        // A kind all of whose hosts moved to their new kind is gone (nothing else refers to it once aggregate_kind,
        // which the host trigger keeps, no longer counts it).
        try (PreparedStatement drop = connection.prepareStatement(
                "delete from cpu_kind k where id = ? and not exists (select 1 from host h where h.kind_id = k.id)")) {
            for (String kind : left) {
                drop.setString(1, kind);
                drop.executeUpdate();
            }
        }
    }

    private static void set(Connection connection, PreparedStatement statement, int first, Lists lists)
            throws SQLException {
        List<List<String>> values = new ArrayList<>(List.of(lists.deprecated(), lists.unknown(), lists.unusable()));
        for (int i = 0; i < values.size(); i++) {
            statement.setArray(
                    first + i, connection.createArrayOf("text", values.get(i).toArray()));
        }
    }
}
