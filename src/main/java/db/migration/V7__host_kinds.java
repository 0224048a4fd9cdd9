package db.migration;

import io.fleetcpu.hosts.CpuKindFacts;
import io.fleetcpu.hosts.GuestModels;
import io.fleetcpu.hosts.HostCpu;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.NestedState;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;

/**
 * Gives every host registered before kinds existed its kind: the id is computed by the same code registrations use
 * ({@link CpuKindFacts#id()}), so the next report of an unchanged host finds its kind as it is. Each kind's row is
 * then copied from the first host of the kind (the columns have the same names).
 */
public class V7__host_kinds extends BaseJavaMigration {

    static final String CPU_COLUMNS = "arch, vendor, model, model_known, microcode, signature_family, "
            + "signature_model, signature_stepping, cpu_source, listed_features, disabled_features, features, "
            + "unknown_features";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement read = connection.createStatement();
                PreparedStatement write = connection.prepareStatement(
                        "update host set kind_id = ?, last_seen_at = updated_at where id = ?")) {
            int pending = 0;
            try (ResultSet row = read.executeQuery("select * from host")) {
                while (row.next()) {
                    write.setString(1, facts(row).id());
                    write.setObject(2, row.getObject("id", UUID.class));
                    write.addBatch();
                    if (++pending == 500) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            write.executeBatch();
        }
        String hypervisorColumns = Arrays.stream(CPU_COLUMNS.split(", "))
                .map(c -> "hypervisor_" + c)
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
        String columns = CPU_COLUMNS + ", " + hypervisorColumns + ", host_model, usable_models, supported_cpu_modes, "
                + "kvm_module, nested, virtualization_flag";
        try (Statement copy = connection.createStatement()) {
            copy.execute("insert into cpu_kind (id, " + columns + ", first_seen_at) "
                    + "select distinct on (kind_id) kind_id, " + columns + ", registered_at from host "
                    + "order by kind_id, registered_at");
        }
    }

    /** The facts of a row with the kind's columns (a host row before V8, or a cpu_kind row). */
    static CpuKindFacts facts(ResultSet row) throws SQLException {
        List<String> usable = list(row.getArray("usable_models"));
        GuestModels models = row.getString("host_model") == null && usable == null
                ? null
                : new GuestModels(
                        row.getString("host_model"),
                        usable == null ? List.of() : usable,
                        list(row.getArray("supported_cpu_modes")));
        return new CpuKindFacts(
                cpu(row, ""),
                row.getString("hypervisor_arch") == null ? null : cpu(row, "hypervisor_"),
                models,
                row.getString("kvm_module"),
                NestedState.fromWireName(row.getString("nested")),
                row.getString("virtualization_flag"),
                null,
                MigrationFacts.UNKNOWN);
    }

    /** As {@code io.fleetcpu.hosts.internal.CpuFacts} reads these columns. */
    private static HostCpu cpu(ResultSet row, String prefix) throws SQLException {
        Integer family = (Integer) row.getObject(prefix + "signature_family");
        CpuSignature signature = family == null
                ? null
                : new CpuSignature(family, (Integer) row.getObject(prefix + "signature_model"), (Integer)
                        row.getObject(prefix + "signature_stepping"));
        return new HostCpu(
                row.getString(prefix + "arch"),
                row.getString(prefix + "vendor"),
                row.getString(prefix + "model"),
                Boolean.TRUE.equals(row.getObject(prefix + "model_known")),
                row.getString(prefix + "microcode"),
                signature,
                HostCpu.CpuSource.fromWireName(row.getString(prefix + "cpu_source")),
                features(row.getArray(prefix + "listed_features")),
                features(row.getArray(prefix + "disabled_features")),
                features(row.getArray(prefix + "features")),
                features(row.getArray(prefix + "unknown_features")));
    }

    static @Nullable List<String> list(@Nullable Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    /** A feature list: written with the CPU it belongs to, never null then. */
    private static List<String> features(Array array) throws SQLException {
        return List.of((String[]) array.getArray());
    }
}
