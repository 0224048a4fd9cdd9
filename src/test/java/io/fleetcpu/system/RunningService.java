package io.fleetcpu.system;

import io.fleetcpu.FleetcpuApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service started as {@code java -jar fleetcpu.jar} starts it, on a random port, outside the
 * Spring test context cache: for tests that start and stop it themselves or point it at their own database.
 */
final class RunningService implements AutoCloseable {

    static final String TOKEN = "system-test-token-0123456789";

    private final ConfigurableApplicationContext context;
    private final ServiceClient client;

    private RunningService(ConfigurableApplicationContext context) {
        this.context = context;
        this.client = new ServiceClient(
                HttpClient.newHttpClient(),
                ((WebServerApplicationContext) context).getWebServer().getPort());
    }

    /** Starts fleetcpu with these {@code --name=value} arguments on top of a random port and a known token. */
    static RunningService start(String... arguments) {
        List<String> args = new ArrayList<>(
                List.of("--server.port=0", "--fleetcpu.security.tokens=" + TOKEN, "--spring.main.banner-mode=off"));
        args.addAll(List.of(arguments));
        return new RunningService(
                new SpringApplicationBuilder(FleetcpuApplication.class).run(args.toArray(String[]::new)));
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    /** GET with request headers given as name, value, name, value… */
    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = client.request(path).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request);
    }

    HttpResponse<String> post(String path, String json) {
        return client.send(client.request(path)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> put(String path, String json) {
        return client.send(client.request(path)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) {
        return client.send(
                client.request(path).header("Authorization", "Bearer " + TOKEN).DELETE());
    }

    @Override
    public void close() {
        context.close();
    }

    /** A real host CPU captured by libvirt's developers (test fixture), inside a {@code virsh capabilities} document. */
    static String capabilities(String uuid, String hostCpuFile) {
        try (InputStream in = RunningService.class.getResourceAsStream("/cpudata/" + hostCpuFile)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture cpudata/" + hostCpuFile);
            }
            return "<capabilities>\n  <host>\n    <uuid>" + uuid + "</uuid>\n"
                    + new String(in.readAllBytes(), StandardCharsets.UTF_8) + "  </host>\n</capabilities>\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
