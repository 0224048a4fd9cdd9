package io.fleetcpu;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FleetcpuApplication {

    public static void main(String[] args) {
        SpringApplication.run(FleetcpuApplication.class, args);
    }
}
