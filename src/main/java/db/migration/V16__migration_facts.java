package db.migration;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
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
 * Keeps, per kind, what a live migration needs of a host beyond its CPU's features ({@link MigrationFacts}): the
 * versioned machine types the host's QEMU offers for its arch (in libvirt's order), the deprecated ones among them,
 * each moving alias with the versioned type it stands for (pairs: alias, type, alias, type, …), the physical address
 * bits guests get ({@code <maxphysaddr bits>}), the TSC frequency and scaling ({@code <counter name='tsc'>}), and the
 * major versions of QEMU and libvirt. Null columns are unknown facts.
 *
 * <p>Agents register at boot, so waiting for their next report could leave a fleet unknown for months. Each host's
 * kind is computed again from what the host row already keeps, its capabilities document and versions, as a
 * registration of that report computes it now: a host whose row gives none of it keeps its kind (unknown facts enter
 * no kind's id), the others move to the kind with their facts, and a kind left without hosts is dropped.
 */
public class V16__migration_facts extends BaseJavaMigration {

    private static final String COLUMNS = V7__host_kinds.CPU_COLUMNS + ", "
            + Arrays.stream(V7__host_kinds.CPU_COLUMNS.split(", "))
                    .map(c -> "hypervisor_" + c)
                    .reduce((a, b) -> a + ", " + b)
                    .orElseThrow()
            + ", host_model, usable_models, supported_cpu_modes, deprecated_models, unknown_models, unusable_models,"
            + " kvm_module, nested, virtualization_flag, catalog, first_seen_at";

    private static final String MIGRATION_COLUMNS = "machine_types, deprecated_machine_types, machine_type_aliases,"
            + " phys_addr_bits, tsc_frequency, tsc_scaling, qemu_major, libvirt_major";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("""
                    alter table cpu_kind
                        add column machine_types            text[],
                        add column deprecated_machine_types text[],
                        add column machine_type_aliases     text[],
                        add column phys_addr_bits           integer check (phys_addr_bits between 1 and 64),
                        add column tsc_frequency            bigint  check (tsc_frequency > 0),
                        add column tsc_scaling              boolean,
                        add column qemu_major               integer,
                        add column libvirt_major            integer
                    """);
        }
        Map<String, CpuKindFacts> kinds = new HashMap<>();
        try (Statement read = connection.createStatement();
                ResultSet row = read.executeQuery("select * from cpu_kind")) {
            while (row.next()) {
                kinds.put(row.getString("id"), facts(row));
            }
        }
        Set<String> written = new HashSet<>();
        Set<String> left = new HashSet<>();
        try (Statement read = connection.createStatement();
                ResultSet host = read.executeQuery(
                        "select id, kind_id, capabilities_xml, libvirt_version, qemu_version from host");
                PreparedStatement copy = connection.prepareStatement("insert into cpu_kind (id, " + COLUMNS + ", "
                        + MIGRATION_COLUMNS + ") select ?, " + COLUMNS
                        + ", ?, ?, ?, ?, ?, ?, ?, ? from cpu_kind where id = ? on conflict (id) do nothing");
                PreparedStatement move = connection.prepareStatement("update host set kind_id = ? where id = ?")) {
            while (host.next()) {
                String kind = host.getString("kind_id");
                CpuKindFacts facts = kinds.get(kind);
                MigrationFacts migration = migrationFacts(
                        host.getString("capabilities_xml"),
                        host.getString("qemu_version"),
                        host.getString("libvirt_version"));
                if (facts == null || migration.unknown()) {
                    continue;
                }
                String id = new CpuKindFacts(
                                facts.cpu(),
                                facts.hypervisorCpu(),
                                facts.guestModels(),
                                facts.kvmModule(),
                                facts.nested(),
                                facts.virtualizationFlag(),
                                facts.catalog(),
                                migration)
                        .id();
                if (written.add(id)) {
                    copy.setString(1, id);
                    set(connection, copy, 2, migration);
                    copy.setString(10, kind);
                    copy.executeUpdate();
                }
                move.setString(1, id);
                move.setObject(2, host.getObject("id", UUID.class));
                move.executeUpdate();
                left.add(kind);
            }
        }
        // A kind all of whose hosts moved to their new kind is gone, with its count slots (V14: the triggers leave
        // them at a sum of zero); aggregate_kind's trigger already deleted its rows.
        try (PreparedStatement slots = connection.prepareStatement("delete from cpu_kind_hosts where kind_id = ? "
                        + "and not exists (select 1 from host h where h.kind_id = ?)");
                PreparedStatement drop = connection.prepareStatement("delete from cpu_kind k where id = ? "
                        + "and not exists (select 1 from host h where h.kind_id = k.id)")) {
            for (String kind : left) {
                slots.setString(1, kind);
                slots.setString(2, kind);
                slots.executeUpdate();
                drop.setString(1, kind);
                drop.executeUpdate();
            }
        }
    }

    /** A kind's facts as its row holds them at V15, as {@code hosts.internal.CpuKind} reads them. */
    private static CpuKindFacts facts(ResultSet row) throws SQLException {
        CpuKindFacts v7 = V7__host_kinds.facts(row);
        GuestModels models = v7.guestModels() == null
                ? null
                : new GuestModels(
                        v7.guestModels().hostModel(),
                        v7.guestModels().usableModels(),
                        v7.guestModels().supportedModes(),
                        orEmpty(V7__host_kinds.list(row.getArray("deprecated_models"))),
                        V7__host_kinds.list(row.getArray("unknown_models")),
                        V7__host_kinds.list(row.getArray("unusable_models")));
        return new CpuKindFacts(
                v7.cpu(),
                v7.hypervisorCpu(),
                models,
                v7.kvmModule(),
                v7.nested(),
                v7.virtualizationFlag(),
                row.getString("catalog"),
                MigrationFacts.UNKNOWN);
    }

    /** What a registration of this report reads now; unknown when the document no longer reads. */
    private static MigrationFacts migrationFacts(
            @Nullable String capabilitiesXml, @Nullable String qemu, @Nullable String libvirt) {
        HostCapabilities capabilities = null;
        if (capabilitiesXml != null) {
            try {
                capabilities = HostCapabilities.parse(capabilitiesXml);
            } catch (MalformedXmlException | IllegalArgumentException e) {
                // kept as it was sent; what it says beyond the CPU stays unknown
            }
        }
        return MigrationFacts.of(capabilities, qemu, libvirt);
    }

    private static void set(Connection connection, PreparedStatement statement, int first, MigrationFacts m)
            throws SQLException {
        List<String> aliases = new ArrayList<>();
        m.machineTypeAliases().forEach((alias, type) -> {
            aliases.add(alias);
            aliases.add(type);
        });
        statement.setArray(first, m.machineTypes() == null ? null : texts(connection, m.machineTypes()));
        statement.setArray(first + 1, texts(connection, m.deprecatedMachineTypes()));
        statement.setArray(first + 2, texts(connection, aliases));
        setNullable(statement, first + 3, m.physAddrBits(), Types.INTEGER);
        setNullable(statement, first + 4, m.tscFrequency(), Types.BIGINT);
        setNullable(statement, first + 5, m.tscScaling(), Types.BOOLEAN);
        setNullable(statement, first + 6, m.qemuMajor(), Types.INTEGER);
        setNullable(statement, first + 7, m.libvirtMajor(), Types.INTEGER);
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static void setNullable(PreparedStatement statement, int index, @Nullable Object value, int type)
            throws SQLException {
        if (value == null) {
            statement.setNull(index, type);
        } else {
            statement.setObject(index, value, type);
        }
    }

    private static List<String> orEmpty(@Nullable List<String> list) {
        return list == null ? List.of() : list;
    }
}
