-- Hosts keep only what is theirs; their CPU facts are in their kind.
alter table host
    add constraint host_kind_fk foreign key (kind_id) references cpu_kind (id),
    alter column kind_id set not null,
    alter column last_seen_at set not null,
    drop column arch, drop column vendor, drop column model, drop column model_known, drop column microcode,
    drop column signature_family, drop column signature_model, drop column signature_stepping, drop column cpu_source,
    drop column listed_features, drop column disabled_features, drop column features, drop column unknown_features,
    drop column hypervisor_arch, drop column hypervisor_vendor, drop column hypervisor_model,
    drop column hypervisor_model_known, drop column hypervisor_microcode, drop column hypervisor_signature_family,
    drop column hypervisor_signature_model, drop column hypervisor_signature_stepping, drop column hypervisor_cpu_source,
    drop column hypervisor_listed_features, drop column hypervisor_disabled_features, drop column hypervisor_features,
    drop column hypervisor_unknown_features, drop column host_model, drop column usable_models,
    drop column supported_cpu_modes, drop column kvm_module, drop column nested, drop column virtualization_flag;

create index host_kind on host (kind_id, hostname, id);
create index host_hostname on host (hostname, id);

-- Each aggregate's members counted by kind, and a version that changes with anything that can change the
-- aggregate's answers (its members and their kinds; its policy changes aggregate.version). Kept by the triggers
-- below, in the transaction that makes the change, whatever the path: registration, PUT/DELETE of a member,
-- deleting a host or an aggregate.
alter table aggregate add column members_version bigint not null default 0;

create table aggregate_kind (
    aggregate_id  varchar(63) not null references aggregate (id) on delete cascade,
    kind_id       varchar(32) not null references cpu_kind (id),
    hosts         integer     not null check (hosts > 0),
    primary key (aggregate_id, kind_id)
);

insert into aggregate_kind (aggregate_id, kind_id, hosts)
select m.aggregate_id, h.kind_id, count(*)
from aggregate_host m join host h on h.id = m.host_id
group by m.aggregate_id, h.kind_id;

-- One member of the given kind more (delta 1) or less (delta -1).
create function aggregate_member_counted(target_aggregate text, target_kind text, delta integer) returns void
language plpgsql as $$
begin
    update aggregate set members_version = members_version + 1 where id = target_aggregate;
    if delta > 0 then
        insert into aggregate_kind (aggregate_id, kind_id, hosts)
        select target_aggregate, target_kind, delta where exists (select 1 from aggregate where id = target_aggregate)
        on conflict (aggregate_id, kind_id) do update set hosts = aggregate_kind.hosts + delta;
    else
        delete from aggregate_kind where aggregate_id = target_aggregate and kind_id = target_kind and hosts <= -delta;
        update aggregate_kind set hosts = hosts + delta where aggregate_id = target_aggregate and kind_id = target_kind;
    end if;
end $$;

create function aggregate_host_counted() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform aggregate_member_counted(new.aggregate_id, (select kind_id from host where id = new.host_id), 1);
        return new;
    end if;
    perform aggregate_member_counted(old.aggregate_id, (select kind_id from host where id = old.host_id), -1);
    return old;
end $$;

create trigger aggregate_host_counted after insert or delete on aggregate_host
    for each row execute function aggregate_host_counted();

-- A host leaves its aggregates before it goes, so that the counts above still see its kind.
create function host_leaves_aggregates() returns trigger
language plpgsql as $$
begin
    delete from aggregate_host where host_id = old.id;
    return old;
end $$;

create trigger host_leaves_aggregates before delete on host
    for each row execute function host_leaves_aggregates();

-- A host whose kind changes moves between its aggregates' counts; a renamed host changes their answers' host names.
create function host_changed() returns trigger
language plpgsql as $$
declare
    member record;
begin
    for member in select aggregate_id from aggregate_host where host_id = new.id order by aggregate_id loop
        if old.kind_id is distinct from new.kind_id then
            perform aggregate_member_counted(member.aggregate_id, old.kind_id, -1);
            perform aggregate_member_counted(member.aggregate_id, new.kind_id, 1);
        else
            update aggregate set members_version = members_version + 1 where id = member.aggregate_id;
        end if;
    end loop;
    return new;
end $$;

create trigger host_changed after update of kind_id, hostname on host
    for each row when (old.kind_id is distinct from new.kind_id or old.hostname is distinct from new.hostname)
    execute function host_changed();
