package io.fleetcpu.hosts.internal;

import io.fleetcpu.hosts.HostDocument;
import io.fleetcpu.hosts.HostFacts;
import io.fleetcpu.hosts.HostRecords;
import io.fleetcpu.hosts.HostView;
import io.fleetcpu.system.NotFoundException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The host table read, and a host forgotten. */
@Service
class StoredHosts implements HostRecords {

    private final HostRepository hosts;
    private final HostViews views;

    StoredHosts(HostRepository hosts, HostViews views) {
        this.hosts = hosts;
        this.views = views;
    }

    @Override
    @Transactional(readOnly = true)
    public HostFacts facts(UUID id) {
        return get(id).facts();
    }

    @Override
    @Transactional(readOnly = true)
    public HostView view(UUID id) {
        return views.shown(get(id));
    }

    @Override
    @Transactional(readOnly = true)
    public Page<HostView> search(
            @Nullable String aggregate,
            @Nullable String vendor,
            @Nullable String model,
            @Nullable String feature,
            @Nullable String kind,
            Pageable page) {
        return hosts.search(aggregate, vendor, model, feature, kind, page).map(views::listed);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<String> document(UUID id, HostDocument document) {
        return Optional.ofNullable(get(id).document(document));
    }

    @Override
    @Transactional
    public void delete(UUID id) {
        hosts.delete(get(id));
    }

    private Host get(UUID id) {
        return hosts.findById(id).orElseThrow(() -> new NotFoundException("no host with id " + id));
    }
}
