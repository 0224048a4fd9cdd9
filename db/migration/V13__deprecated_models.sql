-- The named CPU models a kind's hypervisor marks deprecated (domain capabilities' deprecated='yes', which libvirt
-- writes when QEMU reports the model deprecated): nova's cpu_models leaves them out. Null for kinds stored before:
-- read as none deprecated until their hosts' agents register again (a kind with deprecated models gets a new id).
alter table cpu_kind
    add column deprecated_models text[];
