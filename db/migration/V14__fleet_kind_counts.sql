-- Every kind's hosts counted across the fleet (whether or not they are in an aggregate), kept by the triggers below
-- in the transaction that adds, deletes or re-kinds a host, so that the metrics scrape reads O(kinds) rows and never
-- the host table (docs/metrics.md). A kind's count is split over 8 slots chosen by the host's id, so that
-- registrations of many hosts of one kind do not all wait on one row; the kind's count is the sum of its slots.
-- A slot may go below zero (hosts counted in slot 0 below, deleted from their own slot): only the sum means anything.
create table cpu_kind_hosts (
    kind_id  varchar(32) not null references cpu_kind (id),
    slot     smallint    not null check (slot between 0 and 7),
    hosts    integer     not null,
    primary key (kind_id, slot)
);

insert into cpu_kind_hosts (kind_id, slot, hosts)
select kind_id, 0, count(*) from host group by kind_id;

-- One host of the kind more (delta 1) or less (delta -1), in the host's slot.
create function cpu_kind_host_counted(target_kind text, host_id uuid, delta integer) returns void
language sql as $$
    insert into cpu_kind_hosts (kind_id, slot, hosts) values (target_kind, hashtext(host_id::text) & 7, delta)
    on conflict (kind_id, slot) do update set hosts = cpu_kind_hosts.hosts + excluded.hosts;
$$;

create function host_kind_counted() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform cpu_kind_host_counted(new.kind_id, new.id, 1);
        return new;
    elsif tg_op = 'DELETE' then
        perform cpu_kind_host_counted(old.kind_id, old.id, -1);
        return old;
    end if;
    -- A host changing kind: both rows changed in kind id order, so that two hosts swapping kinds cannot deadlock.
    if old.kind_id < new.kind_id then
        perform cpu_kind_host_counted(old.kind_id, old.id, -1);
        perform cpu_kind_host_counted(new.kind_id, new.id, 1);
    else
        perform cpu_kind_host_counted(new.kind_id, new.id, 1);
        perform cpu_kind_host_counted(old.kind_id, old.id, -1);
    end if;
    return new;
end $$;

create trigger host_kind_counted after insert or delete on host
    for each row execute function host_kind_counted();

create trigger host_kind_recounted after update of kind_id on host
    for each row when (old.kind_id is distinct from new.kind_id) execute function host_kind_counted();
