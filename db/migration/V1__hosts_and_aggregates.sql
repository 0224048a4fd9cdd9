-- Aggregates: groups of hosts that share one guest CPU configuration.
create table aggregate (
    id           varchar(63)  primary key,
    description  text         not null default '',
    goal         varchar(16)  not null default 'migration',
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    version      bigint       not null default 0
);

-- Hosts, keyed by libvirt's host UUID. Parsed facts sit next to the raw documents the agent
-- sent, so that a better parser can read them again later.
create table host (
    id                       uuid         primary key,
    hostname                 varchar(253) not null,
    arch                     varchar(32)  not null,
    vendor                   varchar(32),
    model                    varchar(64),
    model_known              boolean      not null,
    microcode                varchar(32),
    signature_family         integer,
    signature_model          integer,
    signature_stepping       integer,
    cpu_source               varchar(32)  not null,
    listed_features          text[]       not null,
    disabled_features        text[]       not null,
    features                 text[]       not null,
    unknown_features         text[]       not null,
    capabilities_xml         text,
    domain_capabilities_xml  text,
    expanded_cpu_xml         text,
    registered_at            timestamptz  not null,
    updated_at               timestamptz  not null,
    version                  bigint       not null default 0
);

create index host_vendor_model on host (vendor, model);
create index host_features on host using gin (features);

create table aggregate_host (
    aggregate_id  varchar(63) not null references aggregate (id) on delete cascade,
    host_id       uuid        not null references host (id) on delete cascade,
    primary key (aggregate_id, host_id)
);

create index aggregate_host_host on aggregate_host (host_id);
