package io.fleetcpu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcpu.testing.ApiAssertions;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests the fuzz test (api.fuzz.ApiFuzzProperties) found answered with 500, each reduced to its smallest form:
 * now refused with a 4xx problem that says what is wrong, and nothing written.
 */
class FuzzFindingsApiTest extends ApiAssertions {

    private static final String HASWELL = "libvirt-9.9.0/x86_64-cpuid-Xeon-E5-2630-v3-host.xml";
    private static final String H1 = "00000000-0000-4000-8000-000000000001";

    @Test
    void anAggregateNameWithANulCharacterNamesNoAggregate() {
        assertThat(post("/hosts", registration(H1, "hsw-1", List.of("east"), HASWELL))
                        .status())
                .isEqualTo(201);

        Answer target = post(
                "/migrations/check",
                Map.of("guest", Map.of("hostModelOf", H1), "target", Map.of("aggregate", "\u0000east")));
        assertProblem(target, 422);
        assertThat(errorFields(target)).containsExactly("target.aggregate");

        Answer guest = post(
                "/migrations/check", Map.of("guest", Map.of("aggregate", "east\u0000"), "target", Map.of("host", H1)));
        // not found, or refused for the control character before it is looked up: either way not a 500
        assertThat(guest.status()).as(guest.body()).isIn(404, 422);
        assertProblem(guest, guest.status());

        Answer grouping = get("/groupings?aggregate=east%00");
        assertThat(grouping.status()).as(grouping.body()).isIn(400, 404);
        assertProblem(grouping, grouping.status());
    }

    @Test
    void aHostFilterWithANulCharacterIsRefusedNamingIt() {
        for (String filter : List.of("aggregate", "vendor", "model", "feature", "kind")) {
            Answer answer = get("/hosts?" + filter + "=x%00");
            assertProblem(answer, 400);
            assertThat(errorFields(answer)).containsExactly(filter);
        }
    }

    @Test
    void aHostModelNameLongerThanAnyModelIsRefusedNamingTheDocument() {
        Map<String, Object> body = registration(H1, "hsw-1", List.of("east"), HASWELL);
        body.put(
                "domainCapabilitiesXml",
                cpuData("domcaps/qemu_7.2.0-q35.x86_64.xml")
                        .replace(
                                "<model fallback='forbid'>EPYC-Rome</model>",
                                "<model fallback='forbid'>" + "M".repeat(65) + "</model>"));
        Answer answer = post("/hosts", body);
        assertProblem(answer, 422);
        assertThat(errorFields(answer)).containsExactly("domainCapabilitiesXml");
        assertThat(errorFor(answer, "domainCapabilitiesXml"))
                .contains("host-model")
                .contains("64");
        assertNothingWritten();
    }

    @Test
    void aMultipartBodyIsRefusedAsABodyThatIsNotJson() {
        for (String path : List.of("/hosts", "/migrations/check", "/aggregates/east/what-if")) {
            Answer answer = send(builder(path, withToken())
                    .header("Content-Type", "multipart/form-data")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));
            assertProblem(answer, 415);
        }
        Answer put = send(builder("/aggregates/east", withToken())
                .header("Content-Type", "multipart/form-data; boundary=x")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n")));
        assertProblem(put, 415);
        assertNothingWritten();
    }
}
