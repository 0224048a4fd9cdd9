package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.HostGuest;
import io.fleetcpu.hosts.HostGuests;
import io.fleetcpu.hosts.HostReport;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.FeaturePolicy;
import io.fleetcpu.policy.guest.GuestConfiguration;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import io.fleetcpu.system.RequestLimitProperties;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code guests} of a registration, naming every wrong field (at most {@link #MOST_PROBLEMS} of them, so
 * that a report of a thousand bad guests gets a readable answer).
 */
final class GuestReportReader {

    static final int MOST_PROBLEMS = 20;
    private static final int MAX_NAME = 512;
    /** The guest table's columns. */
    private static final int MAX_MACHINE_TYPE = 64;

    private static final List<String> MODES = CpuDefinition.MODES;
    private static final List<String> MATCHES = CpuDefinition.MATCHES;

    private final RequestLimitProperties limits;

    GuestReportReader(RequestLimitProperties limits) {
        this.limits = limits;
    }

    /** The guests, or null when the report has none; problems are added, and then the result is not to be used. */
    @Nullable
    HostGuests read(List<FieldProblem> problems, HostReport.@Nullable ReportedGuests reported) {
        if (reported == null) {
            return null;
        }
        List<HostReport.ReportedGuest> domains = reported.domains();
        if (domains == null) {
            problems.add(new FieldProblem("guests.domains", "missing: list the host's domains ([] when it has none)"));
            return null;
        }
        if (!limits.checkGuests(problems, "guests.domains", domains.size())) {
            return null;
        }
        Integer total = reported.total();
        if (total == null) {
            problems.add(new FieldProblem("guests.total", "missing: say how many domains the host has"));
        } else if (total < domains.size()) {
            problems.add(new FieldProblem(
                    "guests.total", total + " is fewer than the " + domains.size() + " domains listed"));
        }
        int before = problems.size();
        Set<UUID> seen = new HashSet<>();
        List<HostGuest> guests = new ArrayList<>(domains.size());
        for (int i = 0; i < domains.size() && problems.size() - before < MOST_PROBLEMS; i++) {
            HostGuest guest = guest(problems, "guests.domains[" + i + "]", domains.get(i), seen);
            if (guest != null) {
                guests.add(guest);
            }
        }
        return problems.size() > before || total == null || total < domains.size()
                ? null
                : new HostGuests(total, guests);
    }

    private @Nullable HostGuest guest(
            List<FieldProblem> problems, String field, HostReport.@Nullable ReportedGuest guest, Set<UUID> seen) {
        if (guest == null) {
            problems.add(new FieldProblem(field, "null: a domain is an object"));
            return null;
        }
        int before = problems.size();
        String name = guest.name();
        if (name == null || name.isBlank()) {
            problems.add(new FieldProblem(field + ".name", "missing: the domain's <name>"));
        } else {
            HostReportReader.checkText(problems, field + ".name", "", name, MAX_NAME);
        }
        UUID uuid = null;
        if (guest.uuid() == null) {
            problems.add(new FieldProblem(field + ".uuid", "missing: the domain's <uuid>"));
        } else {
            try {
                uuid = UUID.fromString(guest.uuid());
                if (!seen.add(uuid)) {
                    problems.add(new FieldProblem(field + ".uuid", guest.uuid() + " is listed twice"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(field + ".uuid", "'" + guest.uuid() + "' is not a UUID"));
            }
        }
        if (guest.running() == null) {
            problems.add(new FieldProblem(field + ".running", "missing: true or false"));
        }
        HostReportReader.checkText(problems, field + ".machineType", "", guest.machineType(), MAX_MACHINE_TYPE);
        GuestConfiguration configuration = configuration(problems, field + ".cpu", guest.cpu(), guest.machineType());
        if (problems.size() > before || configuration == null || uuid == null || name == null) {
            return null;
        }
        return new HostGuest(uuid, name, Boolean.TRUE.equals(guest.running()), configuration);
    }

    private @Nullable GuestConfiguration configuration(
            List<FieldProblem> problems,
            String field,
            HostReport.@Nullable ReportedGuestCpu cpu,
            @Nullable String machineType) {
        if (cpu == null) {
            return new GuestConfiguration(null, null, null, new TreeMap<>(), machineType);
        }
        int before = problems.size();
        if (cpu.mode() == null) {
            problems.add(new FieldProblem(field + ".mode", "missing: one of " + MODES));
        } else {
            HostReportReader.checkOneOf(problems, field + ".mode", cpu.mode(), MODES);
        }
        HostReportReader.checkOneOf(problems, field + ".match", cpu.match(), MATCHES);
        if (cpu.model() != null
                && (cpu.model().length() > HostReportReader.MAX_MODEL
                        || !HostReportReader.FEATURE.matcher(cpu.model()).matches())) {
            problems.add(new FieldProblem(field + ".model", "'" + cpu.model() + "' is not a CPU model name"));
        }
        Map<String, String> features = cpu.features() == null ? Map.of() : cpu.features();
        TreeMap<String, FeaturePolicy> policies = new TreeMap<>();
        if (limits.checkFeatures(problems, field + ".features", features.size())) {
            for (Map.Entry<String, String> feature : features.entrySet()) {
                if (!HostReportReader.FEATURE.matcher(feature.getKey()).matches()) {
                    problems.add(new FieldProblem(
                            field + ".features", "'" + feature.getKey() + "' is not a CPU feature name"));
                    break;
                }
                FeaturePolicy policy = feature.getValue() == null
                        ? null
                        : FeaturePolicy.fromLibvirtName(feature.getValue()).orElse(null);
                if (policy == null) {
                    problems.add(new FieldProblem(
                            field + ".features." + feature.getKey(),
                            "'" + feature.getValue() + "' is not one of force, require, optional, disable, forbid"));
                    break;
                }
                policies.put(feature.getKey(), policy);
            }
        }
        return problems.size() > before
                ? null
                : new GuestConfiguration(cpu.mode(), cpu.match(), cpu.model(), policies, machineType);
    }
}
