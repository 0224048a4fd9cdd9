package io.fleetcpu;

import io.fleetcpu.agent.AgentCommand;
import io.fleetcpu.system.StopSignal;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

@SpringBootApplication
@ConfigurationPropertiesScan
// The name docs/modules/ gives the whole system (ModulesDocumentationTest); an annotation only, no runtime feature
@Modulithic(systemName = "fleetcpu")
public class FleetcpuApplication {

    public static void main(String[] args) {
        // 'java -jar fleetcpu.jar agent ...' runs the host agent: plain Java, no Spring context, quick to start
        if (args.length > 0 && args[0].equals("agent")) {
            System.exit(AgentCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        StopSignal.exitCleanlyOnSigterm();
        SpringApplication.run(FleetcpuApplication.class, args);
    }
}
