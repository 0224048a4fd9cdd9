-- Who made each membership: the host's agent, by naming the aggregate in its registration, or an operator, through
-- PUT /aggregates/{id}/hosts/{hostId}. A registration adds and removes only its agent's memberships; an operator's
-- stay until an operator removes them. Memberships from before cannot tell and count as the agent's, as they were
-- treated until now. The counting triggers of V8 fire on insert and delete of aggregate_host and do not read this
-- column, so they count every membership whoever made it.
alter table aggregate_host add column added_by varchar(8) not null default 'agent'
    constraint aggregate_host_added_by check (added_by in ('agent', 'operator'));
