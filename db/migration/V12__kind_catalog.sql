-- Each kind of CPU says which catalog (libvirt cpu_map) it was read with, chosen by its host's libvirt version
-- (io.fleetcpu.policy.Catalogs): 'libvirt 9.0' or 'libvirt 11.3'. Kinds stored before were read with the configured
-- catalog (fleetcpu.catalog.libvirt-version, passed in as a Flyway placeholder; 9.0 unless set).
alter table cpu_kind add column catalog varchar(64);
update cpu_kind set catalog = case when '${configured_libvirt_version}' like '11.3%' then 'libvirt 11.3'
                                   else 'libvirt 9.0' end;
alter table cpu_kind alter column catalog set not null;
