package io.fleetcpu.policy;

import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuSignature;
import io.fleetcpu.policy.baseline.CpuDescription;
import io.fleetcpu.policy.guest.GuestCpu;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Hosts for {@link PolicyRecommenderTest}, built from the real CPUs of {@code src/test/resources/cpudata} and the
 * real hypervisor view of {@code src/test/resources/hostdata}. Immutable: each {@code with…} gives a new host.
 */
record PolicyHosts(
        String name,
        String file,
        CpuDescription cpu,
        CpuDescription hypervisorCpu,
        String microcode,
        CpuSignature signature,
        NestedState nested,
        List<String> usableModels,
        Set<GuestCpu.Mode> supportedModes) {

    static final String DIR_9_9 = "libvirt-9.9.0/x86_64-cpuid-";
    static final String DIR_5_6 = "libvirt-5.6.0/x86_64-cpuid-";

    /** A host with the physical CPU of a {@code *-host.xml} fixture, its signature, nested enabled, nothing else. */
    static PolicyHosts host(String name, String hostFile) {
        CpuFixtures.Fixture fixture = CpuFixtures.get(hostFile);
        if (!fixture.kind().equals("host")) {
            throw new IllegalArgumentException(hostFile + " is not a host CPU");
        }
        CpuDefinition definition = CpuDefinition.parse(fixture.hostXml());
        return new PolicyHosts(
                name, hostFile, fixture.cpu(), null, null, definition.signature(), NestedState.ENABLED, null, null);
    }

    /**
     * A host-model CPU as the hypervisor expands it: a {@code *-guest.xml} fixture of cpudata (libvirt's host-model
     * rendering of that CPU) or a document of hostdata, with its disabled features kept.
     */
    static CpuDescription hypervisorView(String resource) {
        CpuDefinition cpu = CpuDefinition.parse(read(resource));
        return new CpuDescription(
                "x86_64", cpu.vendor(), cpu.model(), cpu.requiredFeatureNames(), cpu.disabledFeatureNames());
    }

    PolicyHosts withHypervisorCpu(CpuDescription view) {
        return new PolicyHosts(name, file, cpu, view, microcode, signature, nested, usableModels, supportedModes);
    }

    PolicyHosts withMicrocode(String version) {
        return new PolicyHosts(
                name, file, cpu, hypervisorCpu, version, signature, nested, usableModels, supportedModes);
    }

    PolicyHosts withSignature(CpuSignature newSignature) {
        return new PolicyHosts(
                name, file, cpu, hypervisorCpu, microcode, newSignature, nested, usableModels, supportedModes);
    }

    PolicyHosts withNested(NestedState state) {
        return new PolicyHosts(
                name, file, cpu, hypervisorCpu, microcode, signature, state, usableModels, supportedModes);
    }

    PolicyHosts withUsableModels(List<String> models) {
        return new PolicyHosts(name, file, cpu, hypervisorCpu, microcode, signature, nested, models, supportedModes);
    }

    PolicyHosts withSupportedModes(GuestCpu.Mode... modes) {
        return new PolicyHosts(
                name, file, cpu, hypervisorCpu, microcode, signature, nested, usableModels, Set.of(modes));
    }

    PolicyHost toPolicyHost() {
        return new PolicyHost(
                name, cpu, hypervisorCpu, microcode, signature, nested, usableModels, supportedModes, List.of());
    }

    static List<PolicyHost> all(PolicyHosts... hosts) {
        return java.util.Arrays.stream(hosts).map(PolicyHosts::toPolicyHost).toList();
    }

    static String read(String resource) {
        try (InputStream in = PolicyHosts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
