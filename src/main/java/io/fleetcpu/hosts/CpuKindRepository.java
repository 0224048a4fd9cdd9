package io.fleetcpu.hosts;

import org.springframework.data.jpa.repository.JpaRepository;

interface CpuKindRepository extends JpaRepository<CpuKind, String> {}
