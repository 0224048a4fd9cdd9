package io.fleetcpu.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.data.domain.Page;

/** One page of a listing, with what a client needs to ask for the next. */
@Schema(description = "One page of a listing")
public record PageView<T>(
        List<T> items,
        @Schema(description = "this page's number, from 0") int page,
        @Schema(description = "the most items a page holds") int size,
        @Schema(description = "items on all pages") long totalItems,
        @Schema(description = "pages in all") int totalPages) {

    public static <T> PageView<T> of(Page<T> page) {
        return new PageView<>(
                page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), page.getTotalPages());
    }
}
