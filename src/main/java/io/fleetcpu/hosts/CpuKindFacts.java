package io.fleetcpu.hosts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything any computation reads of a host's CPU: the physical CPU, the hypervisor's view of it, the models the
 * hypervisor runs, and the kvm module's state. Hosts with equal facts are one kind of CPU, stored once under
 * {@link #id()}; what is only the host's own (name, kernel release, versions, documents) stays with the host.
 *
 * @param hypervisorCpu null when the host did not report it
 * @param guestModels null when the host did not report its domain capabilities
 */
public record CpuKindFacts(HostCpu cpu, HostCpu hypervisorCpu, GuestModels guestModels, String kvmModule,
        String nested, String virtualizationFlag) {

    /**
     * Changes only if the canonical form below changes; then every kind gets a new id. Facts added later are written
     * only when present, so kinds without them keep their ids (V13 re-keys the kinds that have them).
     */
    private static final String FORM = "fleetcpu-cpu-kind 1";

    static CpuKindFacts of(HostCpu cpu, HostCpu hypervisorCpu, GuestModels guestModels, KernelFacts kernel) {
        return new CpuKindFacts(cpu, hypervisorCpu, guestModels, kernel.kvmModule(), kernel.nested(),
                kernel.virtualizationFlag());
    }

    /** The kind's id: 128 bits of the SHA-256 of the canonical form, in hex. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalForm().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** One line per fact, values escaped, absent values as {@code ~}: equal facts, equal text, and only then. */
    String canonicalForm() {
        return String.join("\n", FORM,
                "cpu " + cpuLine(cpu),
                "hypervisor " + (hypervisorCpu == null ? "~" : cpuLine(hypervisorCpu)),
                "guestModels " + (guestModels == null ? "~" : value(guestModels.hostModel()) + ";"
                        + list(guestModels.usableModels()) + ";" + list(guestModels.supportedModes())
                        // Only when there are some: the kinds of hosts whose hypervisor deprecates no model keep
                        // the ids they had before fleetcpu kept this fact.
                        + notEmpty(";deprecated", guestModels.deprecatedModels())
                        + notEmpty(";unknown", guestModels.unknownModels())
                        + notEmpty(";unusable", guestModels.unusableModels())),
                "kernel " + value(kvmModule) + ";" + value(nested) + ";" + value(virtualizationFlag));
    }

    private static String cpuLine(HostCpu cpu) {
        HostCpu.Signature s = cpu.signature();
        return String.join(";", value(cpu.arch()), value(cpu.vendor()), value(cpu.model()),
                String.valueOf(cpu.modelKnown()), value(cpu.microcode()),
                s == null ? "~" : s.family() + "/" + s.model() + "/" + (s.stepping() == null ? "~" : s.stepping()),
                cpu.source().wireName(), list(cpu.listedFeatures()), list(cpu.disabledFeatures()),
                list(cpu.features()), list(cpu.unknownFeatures()));
    }

    /** The list after its tag when there is something in it; else nothing, as before fleetcpu kept it. */
    private static String notEmpty(String tag, List<String> values) {
        return values == null || values.isEmpty() ? "" : tag + list(values);
    }

    private static String list(List<String> values) {
        return values == null ? "~" : "[" + values.stream().map(CpuKindFacts::value).collect(Collectors.joining(",")) + "]";
    }

    private static String value(String text) {
        if (text == null) {
            return "~";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 2);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', ';', ',', '~', '[', ']' -> escaped.append('\\').append(c);
                case '\n' -> escaped.append("\\n");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
