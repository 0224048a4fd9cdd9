package io.fleetcpu.hosts;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;

/** The registered hosts: how other features and the API read and forget them. */
public interface HostRecords {

    /**
     * What the host reported, as other features take a host.
     *
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    HostFacts facts(UUID id);

    /**
     * One host as the API shows it, flagged where its aggregates' guests could not migrate onto it.
     *
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    HostView view(UUID id);

    /** One page of hosts as lists show them, ordered by hostname; each filter applies only when given. */
    Page<HostView> search(
            @Nullable String aggregate,
            @Nullable String vendor,
            @Nullable String model,
            @Nullable String feature,
            @Nullable String kind,
            Pageable page);

    /**
     * A raw libvirt document the host sent, exactly as sent; empty when it did not send this one.
     *
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    Optional<String> document(UUID id, HostDocument document);

    /**
     * The host leaves every aggregate and is forgotten; its CPU history stays.
     *
     * @throws io.fleetcpu.system.NotFoundException when no host has this id
     */
    void delete(UUID id);
}
