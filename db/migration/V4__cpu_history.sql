-- CPU drift: every registration that changes a host's CPU facts, what changed, and what it did to the
-- recommendations of the host's aggregates. Events outlive the hosts they are about.
create table cpu_event (
    id           bigserial    primary key,
    host_id      uuid         not null,
    hostname     varchar(253) not null,
    occurred_at  timestamptz  not null,
    kind         varchar(16)  not null,
    added        text[]       not null,
    removed      text[]       not null
);

create index cpu_event_host on cpu_event (host_id, occurred_at);
create index cpu_event_time on cpu_event (occurred_at, id);

create table cpu_event_change (
    event_id  bigint       not null references cpu_event (id) on delete cascade,
    position  integer      not null,
    fact      varchar(32)  not null,
    before    text,
    after     text,
    primary key (event_id, position)
);

create table cpu_event_aggregate (
    event_id            bigint      not null references cpu_event (id) on delete cascade,
    aggregate_id        varchar(63) not null,
    cpu_before          text        not null,
    cpu_after           text        not null,
    host_runs_previous  boolean     not null,
    missing_features    text[]      not null,
    primary key (event_id, aggregate_id)
);

create index cpu_event_aggregate_id on cpu_event_aggregate (aggregate_id);
