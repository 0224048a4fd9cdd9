package io.fleetcpu.hosts;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What fleetcpu knows of one host's CPU: the name libvirt gave it plus and minus features, and
 * the full feature set that name stands for in the catalog.
 *
 * @param listedFeatures features named on top of the model, as the host reported them
 * @param disabledFeatures features of the model the host does not have
 * @param features every feature the host has, the model expanded through the catalog
 * @param unknownFeatures reported features the catalog does not know
 */
@Schema(description = "A host's CPU: the model libvirt named plus and minus features, and every feature it has")
public record HostCpu(
        @Schema(example = "x86_64") String arch,
        @Schema(example = "Intel") @Nullable String vendor,

        @Schema(description = "the CPU model libvirt named for the host", example = "Haswell-noTSX-IBRS") @Nullable
        String model,

        @Schema(description = "whether the catalog knows the model")
        boolean modelKnown,

        @Schema(
                description = "microcode version as libvirt writes it (a decimal number), when reported",
                example = "73")
        @Nullable
        String microcode,

        @Nullable CpuSignature signature,

        @Schema(description = "which part of the registration the CPU facts were read from")
        CpuSource source,

        @Schema(description = "features named on top of the model, as the host reported them")
        List<String> listedFeatures,

        @Schema(description = "features of the model the host does not have")
        List<String> disabledFeatures,

        @Schema(description = "every feature the host has: the model expanded through the catalog")
        List<String> features,

        @Schema(description = "reported features the catalog does not know")
        List<String> unknownFeatures) {

    /** Which of the host's documents the CPU facts were read from. */
    public enum CpuSource {
        CAPABILITIES("capabilitiesXml"),
        EXPANDED_CPU("expandedCpuXml"),
        CPU("cpu"),
        HYPERVISOR_CPU("hypervisorCpuXml");

        private final String wireName;

        CpuSource(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }

        public static CpuSource fromWireName(String name) {
            for (CpuSource s : values()) {
                if (s.wireName.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown CPU source " + name);
        }
    }

    /**
     * Whether {@link #features()} is every feature the CPU has: its model's expanded, or where the catalog it was read
     * with does not know the model, a document that lists them all (libvirt's expansion, {@code virsh cpu-baseline
     * --features}, which the agent sends, or the hypervisor's view, which is one). A CPU named by an unknown model plus
     * the few features it has on top of it says nothing of the model's own: its features are then the listed ones.
     */
    public boolean featuresInFull() {
        return modelKnown
                || source == CpuSource.EXPANDED_CPU
                || source == CpuSource.HYPERVISOR_CPU
                || !listedFeatures.containsAll(features);
    }

    /** This CPU as the policy engine reads it: a named model plus and minus features. */
    public CpuDescription description() {
        return new CpuDescription(arch, vendor, model, listedFeatures, disabledFeatures);
    }

    public HostCpu {
        listedFeatures = List.copyOf(listedFeatures);
        disabledFeatures = List.copyOf(disabledFeatures);
        features = List.copyOf(features);
        unknownFeatures = List.copyOf(unknownFeatures);
    }
}
