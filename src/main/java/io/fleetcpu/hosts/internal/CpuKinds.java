package io.fleetcpu.hosts.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fleetcpu.hosts.CpuKindFacts;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The stored kinds of CPU. A kind never changes once stored (its id is the hash of its facts), so every instance
 * keeps the kinds it has read in memory and asks the database only for kinds it has not seen.
 */
@Component
public class CpuKinds {

    /** Far more kinds than real fleets have; each is a few kilobytes. */
    private static final int KINDS_KEPT = 20_000;

    private final CpuKindRepository kinds;
    private final JdbcClient jdbc;
    private final Cache<String, CpuKindFacts> known =
            Caffeine.newBuilder().maximumSize(KINDS_KEPT).build();

    CpuKinds(CpuKindRepository kinds, JdbcClient jdbc) {
        this.kinds = kinds;
        this.jdbc = jdbc;
    }

    /**
     * Stores the kind unless it is stored already; hosts of a new kind registering at the same moment all succeed.
     * Runs in its own short transaction, before the host's.
     */
    void store(CpuKindFacts facts, String id, Instant now) {
        if (known.getIfPresent(id) != null) {
            return;
        }
        CpuKind kind = new CpuKind(facts, id, now);
        jdbc.sql("""
                insert into cpu_kind (id, arch, vendor, model, model_known, microcode, signature_family, signature_model,
                    signature_stepping, cpu_source, listed_features, disabled_features, features, unknown_features,
                    hypervisor_arch, hypervisor_vendor, hypervisor_model, hypervisor_model_known, hypervisor_microcode,
                    hypervisor_signature_family, hypervisor_signature_model, hypervisor_signature_stepping,
                    hypervisor_cpu_source, hypervisor_listed_features, hypervisor_disabled_features,
                    hypervisor_features, hypervisor_unknown_features, host_model, usable_models, supported_cpu_modes,
                    deprecated_models, unknown_models, unusable_models, kvm_module, nested, virtualization_flag, catalog,
                    first_seen_at, machine_types, deprecated_machine_types, machine_type_aliases, phys_addr_bits,
                    tsc_frequency, tsc_scaling, qemu_major, libvirt_major)
                values (:id, :arch, :vendor, :model, :modelKnown, :microcode, :family, :modelNumber, :stepping, :source,
                    :listed, :disabled, :features, :unknown, :hArch, :hVendor, :hModel, :hModelKnown, :hMicrocode,
                    :hFamily, :hModelNumber, :hStepping, :hSource, :hListed, :hDisabled, :hFeatures, :hUnknown,
                    :hostModel, :usableModels, :supportedModes, :deprecatedModels, :unknownModels, :unusableModels, :kvmModule, :nested, :virtualizationFlag, :catalog, :now,
                    :machineTypes, :deprecatedMachineTypes, :machineTypeAliases, :physAddrBits, :tscFrequency,
                    :tscScaling, :qemuMajor, :libvirtMajor)
                on conflict (id) do nothing
                """).params(kind.columns()).update();
        known.put(id, facts);
    }

    /** The facts of these kinds, by id; ids of kinds not stored are left out. */
    public Map<String, CpuKindFacts> facts(Collection<String> ids) {
        Map<String, CpuKindFacts> found = new HashMap<>(known.getAllPresent(ids));
        Set<String> missing = ids.stream().filter(id -> !found.containsKey(id)).collect(Collectors.toSet());
        if (!missing.isEmpty()) {
            for (CpuKind kind : kinds.findAllById(missing)) {
                CpuKindFacts facts = kind.facts();
                known.put(kind.getId(), facts);
                found.put(kind.getId(), facts);
            }
        }
        return found;
    }

    /** Kinds read from a host entity are kept too. */
    CpuKindFacts facts(CpuKind kind) {
        return known.get(kind.getId(), id -> kind.facts());
    }
}
