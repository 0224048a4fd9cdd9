-- The agent credential a host belongs to: the SHA-256 (hex) of the agent token that first registered it. Only that
-- token's agent may register the host again; operators may always. Hosts registered before roles existed have none
-- (null): the first agent that registers one of them afterwards binds it.
alter table host add column agent_credential varchar(64);
