-- The CPU modes a host's domain capabilities say its hypervisor supports (host-passthrough, host-model, custom).
-- Null for hosts registered before: unknown, taken as supported until the host's agent registers again.
alter table host
    add column supported_cpu_modes text[];
