-- The aggregate policy: the trade-off between performance and migration, nested virtualisation,
-- mitigations, and limits on the model.
alter table aggregate
    add column nested_virtualization  varchar(16) not null default 'off',
    add column strict                 boolean     not null default false,
    add column mitigations            varchar(16) not null default 'require',
    add column disabled_mitigations   text[]      not null default '{}',
    add column minimum_model          varchar(64),
    add column pinned_model           varchar(64);
