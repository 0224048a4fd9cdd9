-- An aggregate's policy may ask for an x86-64 microarchitecture level (x86-64-baseline, x86-64-v2 …) as its floor.
alter table aggregate add column minimum_level varchar(20)
    check (minimum_level in ('x86-64-baseline', 'x86-64-v2', 'x86-64-v3', 'x86-64-v4'));
