-- The cpu_maps hosts' agents sent (io.fleetcpu.cpumodels.CpuMapStore), so that every host is read with its own
-- libvirt's map: the map's x86 files by name (index.xml and x86_*.xml, as text), kept under the SHA-256 of their
-- contents (io.fleetcpu.catalog.CpuMapDigest). A map never changes once stored; kinds name the map they were read
-- with (cpu_kind.catalog holds the map's name, which carries the first 12 digits of its digest).
create table cpu_map (
    digest          char(64)    primary key check (digest ~ '^[0-9a-f]{64}$'),
    name            varchar(64) not null unique,
    libvirt_version varchar(64),
    files           jsonb       not null,
    size_bytes      integer     not null,
    stored_at       timestamptz not null
);
