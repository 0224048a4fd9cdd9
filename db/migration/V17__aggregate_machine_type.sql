-- An aggregate's policy may pin the versioned machine type its guests are started with (pc-q35-7.2,
-- pc-q35-rhel9.6.0), as MachineTypeFamily.whyNotVersioned accepts it.
alter table aggregate add column machine_type varchar(64)
    check (machine_type ~ '^[a-z][a-z0-9-]{0,40}-(rhel)?[0-9]{1,4}\.[0-9]{1,3}(\.[0-9]{1,3})?$');
