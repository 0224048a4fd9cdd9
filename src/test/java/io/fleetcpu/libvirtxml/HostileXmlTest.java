package io.fleetcpu.libvirtxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Documents an agent (or whoever poses as one) might send to hurt the service: each is refused, saying why. */
class HostileXmlTest {

    record Reader(String document, String root, Function<String, ?> parse) {
        @Override
        public String toString() {
            return document;
        }
    }

    static Stream<Reader> readers() {
        return Stream.of(
                new Reader("capabilities", "capabilities", HostCapabilities::parse),
                new Reader("domcapabilities", "domainCapabilities", DomainCapabilities::parse),
                new Reader("cpu", "cpu", CpuDefinition::parse),
                new Reader("domain", "domain", GuestDomain::parse));
    }

    static Stream<Arguments> readersAndHostileDocuments() {
        return readers()
                .flatMap(r -> Stream.of(
                        Arguments.of(r, "XXE reading /etc/passwd", """
                        <?xml version="1.0"?>
                        <!DOCTYPE %1$s [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
                        <%1$s><host><uuid>&xxe;</uuid></host><feature name='&xxe;'/></%1$s>
                        """.formatted(r.root())),
                        Arguments.of(r, "XXE through a parameter entity", """
                        <!DOCTYPE %1$s [ <!ENTITY %% remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %%remote; ]>
                        <%1$s/>
                        """.formatted(r.root())),
                        Arguments.of(r, "external DTD", """
                        <!DOCTYPE %1$s SYSTEM "file:///etc/passwd">
                        <%1$s/>
                        """.formatted(r.root())),
                        Arguments.of(r, "billion laughs", """
                        <?xml version="1.0"?>
                        <!DOCTYPE lolz [
                          <!ENTITY lol "lol">
                          <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                          <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
                          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
                          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
                          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
                          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
                          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
                        ]>
                        <%1$s><model>&lol9;</model></%1$s>
                        """.formatted(r.root()))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("readersAndHostileDocuments")
    void doctypesAreRefusedBeforeAnythingIsResolved(Reader reader, String attack, String xml) {
        assertThatThrownBy(() -> reader.parse().apply(xml))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage(reader.document() + ": XML with a DOCTYPE (DTD or entity declarations) is not accepted")
                .satisfies(
                        e -> assertThat(((MalformedXmlException) e).document()).isEqualTo(reader.document()))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
    }

    @ParameterizedTest
    @MethodSource("readers")
    void xincludeIsNotFollowed(Reader reader) {
        String xml = "<" + reader.root() + " xmlns:xi='http://www.w3.org/2001/XInclude'>"
                + "<xi:include href='file:///etc/passwd' parse='text'/></" + reader.root() + ">";
        // the include stays an unknown element: either refused for what is missing, or read without /etc/passwd
        try {
            Object parsed = reader.parse().apply(xml);
            assertThat(parsed.toString()).doesNotContain("root:");
        } catch (MalformedXmlException e) {
            assertThat(e.getMessage()).startsWith(reader.document() + ": ").doesNotContain("root:");
        }
    }

    @ParameterizedTest
    @MethodSource("readers")
    void notWellFormedXmlIsRefusedWithItsPlace(Reader reader) {
        String xml =
                "<" + reader.root() + ">\n  <arch>x86_64</arch>\n  <model>Haswell</vendor>\n</" + reader.root() + ">";
        assertThatThrownBy(() -> reader.parse().apply(xml))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageStartingWith(reader.document() + ": not well-formed XML at line 3, column ")
                .hasMessageContaining("model");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void emptyAndTruncatedInputIsRefused(Reader reader) {
        assertThatThrownBy(() -> reader.parse().apply(""))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage(reader.document() + ": document is empty");
        assertThatThrownBy(() -> reader.parse().apply(null)).hasMessage(reader.document() + ": document is empty");
        assertThatThrownBy(() -> reader.parse().apply("<" + reader.root() + "><arch>x86"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessageStartingWith(reader.document() + ": not well-formed XML");
        assertThatThrownBy(() -> reader.parse().apply("not xml at all"))
                .hasMessageStartingWith(reader.document() + ": not well-formed XML");
    }

    @ParameterizedTest
    @MethodSource("readers")
    void wrongRootIsRefused(Reader reader) {
        String other = reader.root().equals("domain") ? "cpu" : "domain";
        assertThatThrownBy(() -> reader.parse().apply("<" + other + " type='kvm'/>"))
                .isInstanceOf(MalformedXmlException.class)
                .hasMessage(reader.document() + ": root element is <" + other + ">, expected <" + reader.root() + ">");
    }
}
