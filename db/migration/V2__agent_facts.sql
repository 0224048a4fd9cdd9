-- What the agent reports beyond the host CPU: the hypervisor's view of the CPU (what a guest on
-- the host can really get), the kernel's KVM state, versions, and the models QEMU can run.

alter table host
    add column migratable_cpu_xml               text,
    add column hypervisor_cpu_xml               text,
    add column hypervisor_arch                  varchar(32),
    add column hypervisor_vendor                varchar(32),
    add column hypervisor_model                 varchar(64),
    add column hypervisor_model_known           boolean,
    add column hypervisor_microcode             varchar(32),
    add column hypervisor_signature_family      integer,
    add column hypervisor_signature_model       integer,
    add column hypervisor_signature_stepping    integer,
    add column hypervisor_cpu_source            varchar(32),
    add column hypervisor_listed_features       text[],
    add column hypervisor_disabled_features     text[],
    add column hypervisor_features              text[],
    add column hypervisor_unknown_features      text[],
    add column host_model                       varchar(64),
    add column usable_models                    text[],
    add column kernel_release                   varchar(128),
    add column kvm_module                       varchar(16),
    add column nested                           varchar(16) not null default 'unknown',
    add column virtualization_flag              varchar(8),
    add column libvirt_version                  varchar(64),
    add column qemu_version                     varchar(64),
    add column agent_version                    varchar(64);
