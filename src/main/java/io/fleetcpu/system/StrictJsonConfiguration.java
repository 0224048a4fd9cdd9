package io.fleetcpu.system;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Request bodies are read as written: a value of the wrong JSON type ({@code "strict": 2},
 * {@code "hostname": true}, {@code "count": 1.5}) is refused instead of converted, a key given twice is
 * refused instead of the last one silently winning, and no string anywhere in a body may hold a control
 * character other than tab, line feed and carriage return, or a lone surrogate. Each refusal names the
 * field (see {@link UnreadableBody}).
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

    @Bean
    JsonMapperBuilderCustomizer strictJsonBodies() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfigDefaults(coercion -> {
                    coercion.setAcceptBlankAsEmpty(false);
                    for (CoercionInputShape shape : CoercionInputShape.values()) {
                        coercion.setCoercion(shape, CoercionAction.Fail);
                    }
                })
                .addModule(new SimpleModule("printable-text").addDeserializer(String.class, new PrintableText()));
    }

    /** Whether people and PostgreSQL can take this text: no NUL or other control characters, no lone surrogates. */
    static boolean printable(String text) {
        return text.codePoints().noneMatch(c -> (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                || Character.getType(c) == Character.SURROGATE);
    }

    /** Jackson's own string reading (with its coercion rules), then the printable check. */
    private static final class PrintableText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String text = super.deserialize(p, ctxt);
            if (text != null && !printable(text)) {
                throw new UnprintableTextException(p);
            }
            return text;
        }
    }

    /** A string with a control character or a lone surrogate; Jackson adds where it was in the body. */
    static final class UnprintableTextException extends MismatchedInputException {

        static final String PROBLEM = "contains control characters (such as NUL) or a lone surrogate";

        UnprintableTextException(JsonParser p) {
            super(p, PROBLEM, String.class);
        }
    }
}
