package io.fleetcpu.system.internal;

import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.InvalidRequestException.FieldProblem;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.jdk.StringDeserializer;
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
        return builder -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
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
        return text.codePoints()
                .noneMatch(c -> (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                        || Character.getType(c) == Character.SURROGATE);
    }

    /** Jackson's own string reading (with its coercion rules), then the printable check. */
    private static final class PrintableText extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String text = super.deserialize(p, ctxt);
            if (text != null && !printable(text)) {
                UnprintableText.found(p);
            }
            return text;
        }
    }

    /** The path of the value a parser stands on, as problems name fields: {@code cpu.features[3]}. */
    static String path(TokenStreamContext context) {
        Deque<TokenStreamContext> contexts = new ArrayDeque<>();
        for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            contexts.push(c);
        }
        StringBuilder path = new StringBuilder();
        for (TokenStreamContext c : contexts) {
            append(path, c.inObject() ? c.currentName() : null, c.inArray() ? c.getCurrentIndex() : -1);
        }
        return path.toString();
    }

    static void append(StringBuilder path, @Nullable String name, int index) {
        if (name != null) {
            path.append(path.isEmpty() ? "" : ".").append(name);
        } else if (index >= 0) {
            path.append('[').append(index).append(']');
        }
    }

    /**
     * Text with a control character or a lone surrogate. Within a request every such field is noted and the
     * whole body is read, so that the 422 names them all ({@link UnprintableText.Check}); outside one, the first
     * refuses the document.
     */
    static final class UnprintableText {

        static final String PROBLEM = "contains control characters (such as NUL) or a lone surrogate";
        private static final String FOUND = UnprintableText.class.getName();

        private UnprintableText() {}

        @SuppressWarnings("unchecked")
        static void found(JsonParser p) {
            String field = path(p.streamReadContext());
            RequestAttributes request = RequestContextHolder.getRequestAttributes();
            if (request == null) {
                throw new InvalidRequestException(field.isEmpty() ? "body" : field, PROBLEM);
            }
            List<FieldProblem> found =
                    (List<FieldProblem>) request.getAttribute(FOUND, RequestAttributes.SCOPE_REQUEST);
            if (found == null) {
                found = new ArrayList<>();
                request.setAttribute(FOUND, found, RequestAttributes.SCOPE_REQUEST);
            }
            found.add(new FieldProblem(field.isEmpty() ? "body" : field, PROBLEM));
        }

        /** After a body is read: 422 naming every field with unprintable text. */
        @ControllerAdvice
        static class Check extends RequestBodyAdviceAdapter {

            @Override
            public boolean supports(
                    MethodParameter parameter,
                    Type targetType,
                    Class<? extends HttpMessageConverter<?>> converterType) {
                return true;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Object afterBodyRead(
                    Object body,
                    HttpInputMessage inputMessage,
                    MethodParameter parameter,
                    Type targetType,
                    Class<? extends HttpMessageConverter<?>> converterType) {
                RequestAttributes request = RequestContextHolder.getRequestAttributes();
                if (request == null) {
                    return body;
                }
                List<FieldProblem> found =
                        (List<FieldProblem>) request.getAttribute(FOUND, RequestAttributes.SCOPE_REQUEST);
                if (found != null && !found.isEmpty()) {
                    request.removeAttribute(FOUND, RequestAttributes.SCOPE_REQUEST);
                    throw new InvalidRequestException(found);
                }
                return body;
            }
        }
    }
}
