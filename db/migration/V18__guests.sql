-- The guests an agent reports for its host (issue 24): each domain's CPU as configured and its machine type,
-- never disks, networks or metadata. Every registration replaces the host's set whole. The foreign keys are
-- checked at commit: a new host's row is written last in its registration's transaction.
create table host_guests (
    host_id      uuid        primary key references host (id) on delete cascade deferrable initially deferred,
    total        integer     not null check (total >= 0),
    -- a digest of the set, so that a registration can tell whether the guests changed
    digest       varchar(64) not null,
    reported_at  timestamptz not null
);

create table guest (
    host_id       uuid         not null references host (id) on delete cascade deferrable initially deferred,
    uuid          uuid         not null,
    name          text         not null,
    running       boolean      not null,
    machine_type  varchar(64),
    cpu_mode      varchar(16)  check (cpu_mode in ('custom', 'host-model', 'host-passthrough', 'maximum')),
    cpu_match     varchar(8)   check (cpu_match in ('minimum', 'exact', 'strict')),
    cpu_model     varchar(64),
    -- name=policy pairs sorted by name, comma-separated: "svm=disable,x2apic=require"
    cpu_features  text         not null default '',
    primary key (host_id, uuid)
);
