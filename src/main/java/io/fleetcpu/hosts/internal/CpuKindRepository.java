package io.fleetcpu.hosts.internal;

import org.springframework.data.jpa.repository.JpaRepository;

interface CpuKindRepository extends JpaRepository<CpuKind, String> {}
