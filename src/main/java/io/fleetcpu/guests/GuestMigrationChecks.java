package io.fleetcpu.guests;

import io.fleetcpu.fleet.FleetService;
import io.fleetcpu.fleet.MigrationCheckView.TargetVerdict;
import io.fleetcpu.hosts.GuestRecords.MemberGuests;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.KindLabels;
import io.fleetcpu.hosts.KindMembers;
import io.fleetcpu.policy.guest.GuestConfiguration;
import io.fleetcpu.policy.migration.MachineTypeFamily;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidRequestException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The fleet's migration check over a guest's own configuration: its {@code <cpu>} and machine type, and for
 * host-model and host-passthrough the host it runs on, as {@code POST /migrations/check} would judge them.
 */
@Component
class GuestMigrationChecks {

    private final FleetService fleet;

    GuestMigrationChecks(FleetService fleet) {
        this.fleet = fleet;
    }

    /**
     * What is checked once: a configuration, and for the host modes the kind of host it runs on (one host of the kind
     * stands for all as the source).
     */
    record Key(
            GuestConfiguration configuration,
            @Nullable String sourceKind,
            @Nullable UUID source) {

        static Key of(GuestConfiguration configuration, MemberGuests member) {
            boolean fromHost = configuration.mode() != null
                    && (configuration.mode().equals("host-model")
                            || configuration.mode().equals("host-passthrough"));
            return fromHost
                    ? new Key(configuration, member.kindId(), member.hostId())
                    : new Key(configuration, null, null);
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Key k
                    && k.configuration.equals(configuration)
                    && Objects.equals(k.sourceKind, sourceKind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(configuration, sourceKind);
        }
    }

    /** The verdicts, or why there are none (and then no verdicts). */
    record Checked(List<TargetVerdict> verdicts, @Nullable String problem) {}

    /** Why nothing can be said of a guest without a {@code <cpu>}. */
    static final String NO_CPU = "the domain has no <cpu>: QEMU gives it its default model and drops, without a word, "
            + "the features a host lacks, and libvirt checks nothing, so where it can go cannot be told; give it a "
            + "<cpu> (the aggregate's recommended one)";

    /**
     * Kinds of hosts as targets, each named as answers name kinds (its first host, and how many more are alike), so
     * that a verdict's blockers read as those of {@code POST /migrations/check} with an aggregate as the target.
     */
    static List<HostFacts> targets(List<KindMembers> kinds) {
        KindLabels labels = KindLabels.of(kinds);
        return kinds.stream().map(k -> k.asHost(labels.name(k.kindId()))).toList();
    }

    /** Against each of these hosts. */
    Checked against(Key key, List<HostFacts> targets) {
        GuestConfiguration c = key.configuration();
        if (!c.hasCpu()) {
            return new Checked(List.of(), NO_CPU);
        }
        return checked(() -> fleet.checkGuest(c.cpuXml(), versionedMachineType(c), key.source(), targets));
    }

    private static Checked checked(java.util.function.Supplier<List<TargetVerdict>> verdicts) {
        try {
            return new Checked(verdicts.get(), null);
        } catch (InvalidRequestException e) {
            return new Checked(
                    List.of(),
                    e.problems().stream()
                            .map(p -> p.problem() == null ? p.field() : p.problem())
                            .reduce((a, b) -> a + "; " + b)
                            .orElse("the migration check refused it"));
        } catch (ConflictException e) {
            return new Checked(List.of(), e.getMessage());
        }
    }

    /** The machine type, unless it is an alias (pc, q35): then the check cannot hold a target to it. */
    private static @Nullable String versionedMachineType(GuestConfiguration c) {
        return c.machineType() == null
                        || MachineTypeFamily.whyNotVersioned(c.machineType()).isPresent()
                ? null
                : c.machineType();
    }
}
