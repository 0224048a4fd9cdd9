package io.fleetcpu.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.catalog.CpuModel;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.HostCapabilities;
import io.fleetcpu.policy.CpuFixtures;
import io.fleetcpu.policy.CpuFixtures.Fixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LibvirtHostReader} on libvirt's in-process test driver ({@code test:///default}, needs only libvirt0):
 * the capabilities path through libvirt-java, the expansion through our binding, and what happens to the
 * questions that driver cannot answer. The test driver's own capabilities name no host UUID and no CPU model, so
 * the happy path gets them spliced in from a real host CPU (libvirt's own test data); everything else is the
 * driver's real answer. Skipped when libvirt cannot be loaded.
 */
class LibvirtHostReaderTest {

    private static final String TEST_URI = "test:///default";
    private static final UUID HOST_UUID = UUID.fromString("4c4c4544-0051-3510-8058-b4c04f4b3732");
    private static LibvirtConnection libvirt;
    private static String unavailable;

    @BeforeAll
    static void connect() {
        try {
            libvirt = LibvirtConnection.open(TEST_URI);
        } catch (LibvirtException | LinkageError e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void disconnect() {
        if (libvirt != null) {
            libvirt.close();
        }
    }

    private static void assumeLibvirt() {
        assumeTrue(libvirt != null, () -> "libvirt not available: " + unavailable);
    }

    /** The test driver's capabilities with a host UUID and the host CPU of a fixture in its {@code <host>}. */
    private static String capabilitiesWith(String testDriverCapabilities, String hostCpuXml) {
        int host = testDriverCapabilities.indexOf("<host>");
        int cpuStart = testDriverCapabilities.indexOf("<cpu>", host);
        int cpuEnd = testDriverCapabilities.indexOf("</cpu>", cpuStart) + "</cpu>".length();
        assertTrue(host >= 0 && cpuStart > host && cpuEnd > cpuStart, "test driver capabilities changed shape");
        return testDriverCapabilities.substring(0, host) + "<host>\n    <uuid>" + HOST_UUID + "</uuid>\n    "
                + hostCpuXml.strip() + testDriverCapabilities.substring(cpuEnd);
    }

    private static String resource(String path) {
        try (InputStream in = LibvirtHostReaderTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(path, e);
        }
    }

    @Test
    void testDriverItselfIsRefusedBecauseItDescribesNoHost() {
        assumeLibvirt();
        LibvirtException e = assertThrows(LibvirtException.class, () -> new LibvirtHostReader().read(TEST_URI));
        assertTrue(e.getMessage().startsWith(TEST_URI + " describes no host fleetcpu can register"), e.getMessage());
        assertTrue(e.getMessage().contains("/capabilities/host/uuid is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("qemu:///system"), e.getMessage());
    }

    @Test
    void libvirtJavaReadsCapabilitiesAndVersions() {
        assumeLibvirt();
        HypervisorIdentity identity = HypervisorIdentity.read(TEST_URI);
        assertTrue(identity.capabilitiesXml().contains("<capabilities>"), identity.capabilitiesXml());
        assertTrue(identity.libvirtVersion().matches("\\d+\\.\\d+\\.\\d+"), identity.libvirtVersion());
        assertEquals("TEST", identity.hypervisorType());
        assertEquals("0.0.2", identity.hypervisorVersion(), "libvirt's test driver says version 2");
        assertEquals("9.0.0", HypervisorIdentity.version(9_000_000));
        assertEquals("7.2.22", HypervisorIdentity.version(7_002_022));
        assertEquals("10.10.0", HypervisorIdentity.version(10_010_000));
    }

    @Test
    void capabilitiesPathGivesUuidExpandedCpuAndVersionsAndNotesWhatTheDriverCannotAnswer() {
        assumeLibvirt();
        Fixture fixture = CpuFixtures.get("libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2650-v3-host.xml");
        HypervisorIdentity real = HypervisorIdentity.read(TEST_URI);
        String caps = capabilitiesWith(real.capabilitiesXml(), fixture.hostXml());

        LibvirtHostFacts facts = LibvirtHostReader.describe(real.withCapabilities(caps), libvirt);

        assertEquals(HOST_UUID, facts.hostUuid());
        assertEquals(caps, facts.capabilitiesXml(), "the raw document is kept as libvirt wrote it");
        assertEquals(HostCapabilities.parse(caps).cpu().model(), fixture.cpu().model());
        CpuDefinition expanded = CpuDefinition.parse(facts.expandedCpuXml());
        assertEquals(fixture.cpu().model(), expanded.model());
        Set<String> features = new HashSet<>(expanded.requiredFeatureNames());
        assertTrue(features.containsAll(fixture.cpu().requiredFeatures()), "expanded keeps the host's own features");
        CpuModel model = CpuCatalog.bundled().model(expanded.model()).orElseThrow();
        List<String> modelFeatures = CpuCatalog.bundled().featureNames(model.features());
        assertTrue(features.containsAll(modelFeatures), "expanded spells out the model's features: " + modelFeatures);
        assertTrue(features.size() > fixture.cpu().requiredFeatures().size());

        assertEquals(real.libvirtVersion(), facts.libvirtVersion());
        assertNull(facts.qemuVersion());
        assertNull(facts.migratableCpuXml());
        assertNull(facts.domainCapabilitiesXml());
        assertNull(facts.domainType());
        assertNull(facts.hypervisorCpuXml());
        assertEquals(3, facts.notes().size(), facts.notes().toString());
        assertTrue(
                facts.notes().get(0).contains("VIR_CONNECT_BASELINE_CPU_MIGRATABLE"),
                facts.notes().toString());
        assertTrue(
                facts.notes().get(1).contains("virConnectGetDomainCapabilities"),
                facts.notes().toString());
        assertTrue(facts.notes().get(2).contains("TEST 0.0.2"), facts.notes().toString());
    }

    @Test
    void featureUnknownToLibvirtIsRefusedNamingTheCpuAndTheFeature() {
        assumeLibvirt();
        // flush-l1d entered libvirt's cpu_map after 9.0; a newer host CPU description than the daemon knows
        HypervisorIdentity identity = HypervisorIdentity.read(TEST_URI)
                .withCapabilities(resource("libvirtxml/kvm-host-haswell-capabilities.xml"));
        LibvirtException e = assertThrows(LibvirtException.class, () -> LibvirtHostReader.describe(identity, libvirt));
        assertEquals(
                TEST_URI + ": libvirt cannot expand the host CPU Haswell-noTSX-IBRS (Intel): "
                        + "internal error: Unknown CPU feature flush-l1d",
                e.getMessage());
    }

    @Test
    void modelUnknownToLibvirtIsRefusedNamingIt() {
        assumeLibvirt();
        HypervisorIdentity real = HypervisorIdentity.read(TEST_URI);
        String caps = capabilitiesWith(
                real.capabilitiesXml(),
                "<cpu><arch>x86_64</arch><model>Granite-Rapids-9000</model><vendor>Intel</vendor></cpu>");
        LibvirtException e = assertThrows(
                LibvirtException.class, () -> LibvirtHostReader.describe(real.withCapabilities(caps), libvirt));
        assertTrue(
                e.getMessage().startsWith(TEST_URI + ": libvirt cannot expand the host CPU Granite-Rapids-9000"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Unknown CPU model Granite-Rapids-9000"), e.getMessage());
    }

    @Test
    void missingDaemonIsNamedAsSuch() {
        assumeLibvirt();
        String uri = "qemu:///system?socket=/nonexistent/fleetcpu-test/libvirt-sock";
        LibvirtException e = assertThrows(LibvirtException.class, () -> new LibvirtHostReader().read(uri));
        assertTrue(e.getMessage().startsWith("cannot connect to " + uri + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/fleetcpu-test/libvirt-sock"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(is libvirtd running?)"), e.getMessage());
        LibvirtException again = assertThrows(LibvirtException.class, () -> LibvirtConnection.open(uri));
        assertTrue(again.getMessage().endsWith("(is libvirtd running?)"), again.getMessage());
    }

    /** The test driver's answers, except domain capabilities, which come as a QEMU 7.2 host that refuses kvm. */
    private static final class KvmRefusingHypervisor implements CpuQueries {
        final List<String> calls = new ArrayList<>();
        final String domcaps = resource("cpudata/domcaps/qemu_7.2.0-q35.x86_64.xml");
        String hypervisorInput;

        @Override
        public String baselineCpu(List<String> hostCpuXml, boolean expandFeatures, boolean migratable) {
            return libvirt.baselineCpu(hostCpuXml, expandFeatures, false);
        }

        @Override
        public String domainCapabilities(String emulator, String arch, String machine, String virtType) {
            calls.add(emulator + " " + arch + " " + machine + " " + virtType);
            if (virtType.equals("kvm")) {
                throw new LibvirtException(
                        "invalid argument: KVM is not supported by " + "'/usr/bin/qemu-system-x86_64' on this host",
                        LibvirtNative.VIR_ERR_INVALID_ARG);
            }
            return domcaps;
        }

        @Override
        public String baselineHypervisorCpu(
                String emulator,
                String arch,
                String machine,
                String virtType,
                List<String> cpuXml,
                boolean expandFeatures,
                boolean migratable) {
            calls.add("hypervisor " + emulator + " " + arch + " " + machine + " " + virtType + " expand="
                    + expandFeatures + " migratable=" + migratable);
            hypervisorInput = cpuXml.get(0);
            return "<cpu mode='custom' match='exact'/>";
        }
    }

    @Test
    void kvmRefusedFallsBackToQemuAndSaysSo() {
        assumeLibvirt();
        // a KVM host's capabilities, less the one feature libvirt 9.0 does not know
        String caps =
                resource("libvirtxml/kvm-host-haswell-capabilities.xml").replace("<feature name='flush-l1d'/>", "");
        HypervisorIdentity qemu = new HypervisorIdentity("qemu:///system", caps, "9.0.0", "QEMU", "7.2.0");
        KvmRefusingHypervisor hypervisor = new KvmRefusingHypervisor();

        LibvirtHostFacts facts = LibvirtHostReader.describe(qemu, hypervisor);

        assertEquals(
                List.of(
                        "null x86_64 null kvm",
                        "null x86_64 null qemu",
                        "hypervisor /usr/bin/qemu-system-x86_64 x86_64 pc-q35-7.2 qemu expand=true migratable=false"),
                hypervisor.calls,
                "asks for the emulator's own domain type and machine");
        assertEquals("qemu", facts.domainType());
        assertEquals(hypervisor.domcaps, facts.domainCapabilitiesXml());
        assertEquals("7.2.0", facts.qemuVersion());
        assertNotNull(facts.migratableCpuXml());
        assertEquals(1, facts.notes().size(), facts.notes().toString());
        assertTrue(
                facts.notes()
                        .get(0)
                        .startsWith(
                                "the hypervisor refused kvm for x86_64 (invalid argument: KVM is " + "not supported"),
                facts.notes().get(0));
        assertTrue(
                facts.notes().get(0).endsWith("are for emulated (qemu) guests"),
                facts.notes().get(0));

        // the host-model CPU goes in with its policies, so a feature the model has but the host lacks stays off
        CpuDefinition hostModel = DomainCapabilities.parse(hypervisor.domcaps).hostModel();
        CpuDefinition sent = CpuDefinition.parse(hypervisor.hypervisorInput);
        assertEquals(hostModel.model(), sent.model());
        assertEquals(hostModel.vendor(), sent.vendor());
        assertEquals(hostModel.features(), sent.features());
        assertNull(sent.arch(), "libvirt refuses <arch> next to feature policies");
    }
}
