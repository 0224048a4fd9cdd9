package io.fleetcpu.hosts;

import io.fleetcpu.policy.Catalogs;
import io.fleetcpu.policy.guest.GuestLevels;
import io.fleetcpu.policy.guest.GuestVisibility;
import io.fleetcpu.policy.migration.MigrationFacts;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything fleetcpu knows of a host's CPU at one moment: what changes under operators when microcode,
 * kernel or virtualisation stack are updated.
 *
 * @param hypervisorCpu null when the host did not report the hypervisor's view
 * @param guestModels null when the host did not report its domain capabilities
 * @param versions null when the host did not report them
 * @param catalog the catalog the CPU was read with ({@link CpuKindFacts#catalog()})
 * @param migration what a live migration needs of the host beyond its CPU ({@link CpuKindFacts#migration()})
 */
public record HostFacts(
        @Nullable UUID id,
        String hostname,
        HostCpu cpu,
        @Nullable HostCpu hypervisorCpu,
        KernelFacts kernel,
        @Nullable SoftwareVersions versions,
        @Nullable GuestModels guestModels,
        @Nullable String catalog,
        MigrationFacts migration) {

    public static HostFacts of(
            @Nullable UUID id,
            String hostname,
            CpuKindFacts kind,
            @Nullable String kernelRelease,
            @Nullable SoftwareVersions versions) {
        return new HostFacts(
                id,
                hostname,
                kind.cpu(),
                kind.hypervisorCpu(),
                new KernelFacts(kernelRelease, kind.kvmModule(), kind.nested(), kind.virtualizationFlag()),
                versions,
                kind.guestModels(),
                kind.catalog(),
                kind.migration());
    }

    /** One host of the kind, under a name: what computations that take hosts are given for a kind. */
    public static HostFacts ofKind(String name, CpuKindFacts kind) {
        return of(null, name, kind, null, null);
    }

    /** The kind of CPU these facts make. */
    public CpuKindFacts kind() {
        return CpuKindFacts.of(cpu, hypervisorCpu, guestModels, kernel, catalog, migration);
    }

    /** The CPU recommendations are computed with: the hypervisor's view when the host sent it. */
    public HostCpu effectiveCpu() {
        return hypervisorCpu != null ? hypervisorCpu : cpu;
    }

    /** What a guest can really get on the host ({@link GuestVisibility}). */
    public GuestVisibility.View guestView(GuestVisibility visibility) {
        return visibility.of(cpu.description(), hypervisorCpu == null ? null : hypervisorCpu.description());
    }

    /**
     * The x86-64 microarchitecture level guests get on the host, or null below x86-64-baseline or unknown: read with
     * the host's own catalog.
     */
    public @Nullable String level(Catalogs catalogs) {
        return level(catalogs.levels(catalogs.named(catalog)));
    }

    /** The same, with the levels of one catalog. */
    public @Nullable String level(GuestLevels levels) {
        return GuestLevels.name(
                levels.onHost(cpu.description(), hypervisorCpu == null ? null : hypervisorCpu.description()));
    }

    /** Same CPU facts, whatever the name, documents or membership. */
    public boolean sameCpuFacts(@Nullable HostFacts other) {
        return other != null
                && cpu.equals(other.cpu)
                && java.util.Objects.equals(hypervisorCpu, other.hypervisorCpu)
                && kernel.equals(other.kernel)
                && java.util.Objects.equals(versions, other.versions)
                && java.util.Objects.equals(guestModels, other.guestModels)
                && java.util.Objects.equals(catalog, other.catalog);
    }
}
