package io.fleetcpu.aggregates;

import org.springframework.data.jpa.repository.JpaRepository;

interface AggregateRepository extends JpaRepository<Aggregate, String> {
}
