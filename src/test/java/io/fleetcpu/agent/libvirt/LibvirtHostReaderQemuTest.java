package io.fleetcpu.agent.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetcpu.catalog.CpuCatalog;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.DomainCapabilities;
import io.fleetcpu.libvirtxml.HostCapabilities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LibvirtHostReader} against the real QEMU driver of the libvirtd on this machine, checked against an
 * independent witness: {@code virsh} run on the same machine (a separate program with its own XML handling).
 * Skipped when no libvirtd answers at {@code qemu:///system} (or {@code -Dfleetcpu.libvirt.qemu.uri}); CI
 * starts one and refuses the skip.
 */
class LibvirtHostReaderQemuTest {

    private static final String URI = System.getProperty("fleetcpu.libvirt.qemu.uri", "qemu:///system");
    /** libvirt's virQEMUCapsCPUFilterFeatures (qemu_capabilities.c, libvirt 7 to 9): never passed to QEMU. */
    static final Set<String> QEMU_FILTERED_FEATURES = Set.of("cmt", "mbm_total", "mbm_local", "osxsave", "ospke");

    private static LibvirtHostFacts facts;
    private static String unavailable;

    @TempDir
    static Path dir;

    @BeforeAll
    static void read() {
        try (LibvirtConnection probe = LibvirtConnection.open(URI)) {
            // reachable: from here on a failure is a failure, not a skip
        } catch (LibvirtException | LinkageError e) {
            unavailable = e.getMessage();
            return;
        }
        facts = new LibvirtHostReader().read(URI);
    }

    private static String witnessCapabilities;

    /** {@code virsh capabilities}, once: the QEMU driver may take seconds to answer it. */
    private static synchronized String virshCapabilities() {
        if (witnessCapabilities == null) {
            witnessCapabilities = virsh("capabilities");
        }
        return witnessCapabilities;
    }

    private static void assumeDaemon() {
        assumeTrue(facts != null, () -> "no libvirtd at " + URI + ": " + unavailable);
    }

    private static String virsh(String... args) {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", URI));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "virsh timed out: " + command);
            assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ":\n" + out);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run virsh (Debian: libvirt-clients)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path file(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> features(String cpuXml) {
        return new TreeSet<>(CpuDefinition.parse(cpuXml).requiredFeatureNames());
    }

    private static String line(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), () -> regex + " not in:\n" + text);
        return m.group(1);
    }

    @Test
    void sameHostAndHostCpuAsVirsh() {
        assumeDaemon();
        HostCapabilities witness = HostCapabilities.parse(virshCapabilities());
        HostCapabilities ours = HostCapabilities.parse(facts.capabilitiesXml());
        assertEquals(witness.hostUuid(), facts.hostUuid());
        assertEquals(witness.cpu(), ours.cpu());
        assertEquals(
                witness.cpu().model(),
                CpuDefinition.parse(facts.expandedCpuXml()).model());
    }

    @Test
    void expandedAndMigratableCpuHaveTheFeaturesVirshCpuBaselineGives() {
        assumeDaemon();
        // virsh takes the host CPU out of the capabilities document itself
        Path caps = file("capabilities.xml", virshCapabilities());
        String expanded = virsh("cpu-baseline", "--features", caps.toString());
        String migratable = virsh("cpu-baseline", "--features", "--migratable", caps.toString());

        assertEquals(
                CpuDefinition.parse(expanded).model(),
                CpuDefinition.parse(facts.expandedCpuXml()).model());
        assertEquals(features(expanded), features(facts.expandedCpuXml()));
        assertNotNull(facts.migratableCpuXml(), facts.notes().toString());
        assertEquals(features(migratable), features(facts.migratableCpuXml()));
        assertTrue(
                features(facts.expandedCpuXml()).containsAll(features(facts.migratableCpuXml())),
                "migratable only takes features away");
        // the QEMU driver drops the features it never passes to QEMU (virQEMUCapsCPUFilterFeatures); the rest stay
        Set<String> own = new TreeSet<>(
                HostCapabilities.parse(facts.capabilitiesXml()).cpu().requiredFeatureNames());
        own.removeAll(QEMU_FILTERED_FEATURES);
        assertTrue(features(facts.expandedCpuXml()).containsAll(own), "expanded keeps the features the host lists");
    }

    @Test
    void domainCapabilitiesAgreeWithVirshDomcapabilities() {
        assumeDaemon();
        assertNotNull(facts.domainCapabilitiesXml(), facts.notes().toString());
        DomainCapabilities witness = DomainCapabilities.parse(virsh(
                "domcapabilities",
                "--virttype",
                facts.domainType(),
                "--arch",
                HostCapabilities.parse(facts.capabilitiesXml()).arch()));
        DomainCapabilities ours = DomainCapabilities.parse(facts.domainCapabilitiesXml());
        assertEquals(facts.domainType(), ours.domainType());
        assertEquals(witness.domainType(), ours.domainType());
        assertEquals(witness.emulatorPath(), ours.emulatorPath());
        assertEquals(witness.machine(), ours.machine());
        assertEquals(witness.usableModelNames(), ours.usableModelNames());
        assertEquals(witness.customModels(), ours.customModels());
        assertEquals(witness.hostModel(), ours.hostModel());
        // KVM guests where libvirt offers them for this arch (a usable /dev/kvm), emulated ones otherwise, saying why
        HostCapabilities capabilities = HostCapabilities.parse(facts.capabilitiesXml());
        assertEquals(
                capabilities.offersKvm() ? "kvm" : "qemu",
                facts.domainType(),
                facts.notes().toString());
        if (!capabilities.offersKvm()) {
            assertTrue(
                    facts.notes().stream().anyMatch(n -> n.contains("kvm")),
                    facts.notes().toString());
        }
    }

    @Test
    void hypervisorCpuIsTheHostModelSpelledOut() {
        assumeDaemon();
        assertNotNull(facts.hypervisorCpuXml(), facts.notes().toString());
        Path domcaps = file("domcapabilities.xml", facts.domainCapabilitiesXml());
        // virsh turns the host-model of a domcapabilities file into a <cpu> on its own
        String witness =
                virsh("hypervisor-cpu-baseline", "--features", "--virttype", facts.domainType(), domcaps.toString());
        CpuDefinition hypervisor = CpuDefinition.parse(facts.hypervisorCpuXml());
        assertEquals(CpuDefinition.parse(witness).model(), hypervisor.model());
        assertEquals(features(witness), features(facts.hypervisorCpuXml()));

        // host-model is a named model plus policies; spelled out it is exactly: the model's features, plus the
        // required ones, minus the disabled ones (which stay listed as disabled). So the guest gets nothing libvirt
        // did not list for host-model.
        CpuDefinition hostModel =
                DomainCapabilities.parse(facts.domainCapabilitiesXml()).hostModel();
        assertEquals(new TreeSet<>(hostModel.disabledFeatureNames()), new TreeSet<>(hypervisor.disabledFeatureNames()));
        CpuCatalog catalog = CpuCatalog.bundled();
        Set<String> expected = new TreeSet<>(catalog.featureNames(
                catalog.model(hostModel.model()).orElseThrow().features()));
        expected.addAll(hostModel.requiredFeatureNames());
        expected.removeAll(hostModel.disabledFeatureNames());
        assertEquals(expected, features(facts.hypervisorCpuXml()));
    }

    @Test
    void versionsAreTheDaemonsAndQemus() {
        assumeDaemon();
        String version = virsh("version", "--daemon");
        assertEquals(line(version, "^Running against daemon: (\\S+)$"), facts.libvirtVersion());
        assertEquals(line(version, "^Running hypervisor: QEMU (\\S+)$"), facts.qemuVersion());
    }
}
