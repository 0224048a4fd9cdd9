-- CPU kinds: identical CPU facts (everything a computation reads) are stored once, keyed by a content hash of
-- their canonical form (io.fleetcpu.hosts.CpuKindFacts). A host references its kind. V7 gives existing hosts their
-- kinds; V8 drops the per-host copies.
create table cpu_kind (
    id                               varchar(32)  primary key,
    arch                             varchar(32)  not null,
    vendor                           varchar(32),
    model                            varchar(64),
    model_known                      boolean      not null,
    microcode                        varchar(32),
    signature_family                 integer,
    signature_model                  integer,
    signature_stepping               integer,
    cpu_source                       varchar(32)  not null,
    listed_features                  text[]       not null,
    disabled_features                text[]       not null,
    features                         text[]       not null,
    unknown_features                 text[]       not null,
    hypervisor_arch                  varchar(32),
    hypervisor_vendor                varchar(32),
    hypervisor_model                 varchar(64),
    hypervisor_model_known           boolean,
    hypervisor_microcode             varchar(32),
    hypervisor_signature_family      integer,
    hypervisor_signature_model       integer,
    hypervisor_signature_stepping    integer,
    hypervisor_cpu_source            varchar(32),
    hypervisor_listed_features       text[],
    hypervisor_disabled_features     text[],
    hypervisor_features              text[],
    hypervisor_unknown_features      text[],
    host_model                       varchar(64),
    usable_models                    text[],
    supported_cpu_modes              text[],
    kvm_module                       varchar(16),
    nested                           varchar(16)  not null,
    virtualization_flag              varchar(8),
    first_seen_at                    timestamptz  not null
);

create index cpu_kind_vendor_model on cpu_kind (vendor, model);

alter table host
    add column kind_id        varchar(32),
    add column last_seen_at   timestamptz,
    add column report_digest  varchar(64);
