package io.fleetcpu.agent;

import io.fleetcpu.agent.libvirt.LibvirtConnection;
import io.fleetcpu.libvirtxml.CpuDefinition;
import io.fleetcpu.libvirtxml.CpuFeature;
import io.fleetcpu.libvirtxml.GuestDomain;
import io.fleetcpu.libvirtxml.MalformedXmlException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The host's domains as the agent reports them: of each definition only its name, UUID, whether it runs, its machine
 * type and its {@code <cpu>} (mode, match, model, the policy of each feature). Disks, networks, metadata and the rest
 * of the document are never sent.
 */
final class GuestInventory {

    private GuestInventory() {}

    /**
     * @param notes receives a sentence for each domain left out because its definition cannot be read
     */
    static Registration.Guests of(LibvirtConnection.Domains domains, List<String> notes) {
        List<Registration.Guest> guests = new ArrayList<>(domains.read().size());
        for (LibvirtConnection.Domain domain : domains.read()) {
            GuestDomain read;
            try {
                read = GuestDomain.parse(domain.xml());
            } catch (MalformedXmlException e) {
                notes.add("a domain left out of the guests: " + e.getMessage());
                continue;
            }
            if (read.name() == null || read.uuid() == null) {
                notes.add("a domain without a name or UUID left out of the guests");
                continue;
            }
            guests.add(new Registration.Guest(
                    read.name(), read.uuid(), domain.running(), read.machineType(), cpu(read.cpu())));
        }
        return new Registration.Guests(domains.total(), guests);
    }

    private static Registration.@Nullable GuestCpu cpu(@Nullable CpuDefinition cpu) {
        if (cpu == null) {
            return null;
        }
        Map<String, String> features = new LinkedHashMap<>();
        for (CpuFeature feature : cpu.features()) {
            features.put(
                    feature.name(),
                    feature.policy() == null ? "require" : feature.policy().libvirtName());
        }
        return new Registration.GuestCpu(
                cpu.mode() == null ? "custom" : cpu.mode(), cpu.match(), cpu.model(), features);
    }
}
