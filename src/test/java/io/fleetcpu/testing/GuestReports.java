package io.fleetcpu.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The {@code guests} of registrations, as the agent sends them, for the API tests of the guest inventory. */
public final class GuestReports {

    public static final String EPYC_GUEST = "6a1b0c2d-0000-4000-8000-000000000001";
    public static final String QEMU64_GUEST = "6a1b0c2d-0000-4000-8000-000000000002";
    public static final String SHUT_OFF = "6a1b0c2d-0000-4000-8000-000000000003";

    private GuestReports() {}

    /** The emulated EPYC host's guests: the EPYC guest as libvirt 9.0 defined it there, and a shut-off one. */
    public static List<Map<String, Object>> epycGuests() {
        Map<String, String> features = new LinkedHashMap<>();
        for (String disabled : List.of("x2apic", "svm", "monitor", "vme", "rdseed", "sha-ni", "xsavec")) {
            features.put(disabled, "disable");
        }
        return List.of(
                domain(EPYC_GUEST, "tenant-epyc", true, "pc-q35-7.2", cpuOf("custom", "EPYC", features)),
                domain(SHUT_OFF, "tenant-stopped", false, null, null));
    }

    /** A guest that runs anywhere: custom qemu64. */
    public static Map<String, Object> qemu64Guest() {
        return domain(QEMU64_GUEST, "tenant-qemu64", true, "pc-q35-7.2", cpuOf("custom", "qemu64", Map.of()));
    }

    /** The registration with these guests, of a host that has {@code total} domains. */
    public static Map<String, Object> withGuests(
            Map<String, Object> registration, List<Map<String, Object>> domains, int total) {
        Map<String, Object> guests = new LinkedHashMap<>();
        guests.put("total", total);
        guests.put("domains", domains);
        registration.put("guests", guests);
        return registration;
    }

    public static Map<String, Object> domain(
            String uuid,
            String name,
            boolean running,
            @Nullable String machineType,
            @Nullable Map<String, Object> cpu) {
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", name);
        domain.put("uuid", uuid);
        domain.put("running", running);
        if (machineType != null) {
            domain.put("machineType", machineType);
        }
        if (cpu != null) {
            domain.put("cpu", cpu);
        }
        return domain;
    }

    /** The id of the host of this name in a page of GET /hosts. */
    public static String hostIdOf(tools.jackson.databind.JsonNode hosts, String hostname) {
        for (tools.jackson.databind.JsonNode host : hosts.get("items")) {
            if (host.get("hostname").asString().equals(hostname)) {
                return host.get("id").asString();
            }
        }
        throw new AssertionError("no host " + hostname + " in " + hosts);
    }

    public static Map<String, Object> cpuOf(String mode, String model, Map<String, String> features) {
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("mode", mode);
        cpu.put("match", "exact");
        cpu.put("model", model);
        cpu.put("features", features);
        return cpu;
    }
}
