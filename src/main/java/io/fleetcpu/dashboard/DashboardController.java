package io.fleetcpu.dashboard;

import io.fleetcpu.aggregates.AggregateService;
import io.fleetcpu.aggregates.AggregateView;
import io.fleetcpu.aggregates.AnswerRenderings;
import io.fleetcpu.aggregates.OutputFormat;
import io.fleetcpu.aggregates.RecommendationService;
import io.fleetcpu.aggregates.WhatIfRequest;
import io.fleetcpu.aggregates.WhatIfService;
import io.fleetcpu.fleet.FleetService;
import io.fleetcpu.fleet.GroupingView;
import io.fleetcpu.guests.GuestInventoryService;
import io.fleetcpu.history.HistoryService;
import io.fleetcpu.hosts.FleetCensus;
import io.fleetcpu.system.ConflictException;
import io.fleetcpu.system.InvalidParameterException;
import io.fleetcpu.system.InvalidRequestException;
import io.fleetcpu.system.ServiceBusyException;
import io.swagger.v3.oas.annotations.Hidden;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The web dashboard: HTML pages over the same services the JSON API answers from, reading only. The what-if form
 * is a GET whose answer the page shows: it asks the what-if service the API's POST asks, and writes nothing.
 */
@Controller
@Hidden
class DashboardController {

    /** Aggregates a page of the fleet lists: each needs its recommendation (cached per aggregate version). */
    static final int AGGREGATES_PER_PAGE = 25;
    /** Latest CPU changes the fleet page shows, and events of an aggregate's history its page shows. */
    static final int EVENTS_SHOWN = 20;

    static final int HISTORY_SHOWN = 50;
    /** Kinds of CPU the feature matrix shows, most hosts first: each row is a cell per feature. */
    static final int MATRIX_ROWS = 200;
    /** Far beyond any fleet's aggregates, and far from overflowing the offset of a page. */
    static final int MAX_PAGE = 1_000_000;

    private final FleetCensus census;
    private final AggregateService aggregates;
    private final RecommendationService recommendations;
    private final AnswerRenderings answerRenderings;
    private final WhatIfService whatIfs;
    private final FleetService fleet;
    private final HistoryService history;
    private final GuestInventoryService guests;

    DashboardController(
            FleetCensus census,
            AggregateService aggregates,
            RecommendationService recommendations,
            AnswerRenderings renderings,
            WhatIfService whatIfs,
            FleetService fleet,
            HistoryService history,
            GuestInventoryService guests) {
        this.census = census;
        this.aggregates = aggregates;
        this.recommendations = recommendations;
        this.answerRenderings = renderings;
        this.whatIfs = whatIfs;
        this.fleet = fleet;
        this.history = history;
        this.guests = guests;
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String fleet(@RequestParam(defaultValue = "0") int page, Model model) {
        if (page < 0 || page > MAX_PAGE) {
            throw new InvalidParameterException("page", page + " is not a page number from 0 to " + MAX_PAGE);
        }
        Page<AggregateView> shown = aggregates.page(page, AGGREGATES_PER_PAGE);
        List<AggregateRow> rows = shown.getContent().stream()
                .map(a -> AggregateRow.of(
                        a,
                        attempt(() ->
                                recommendations.recommendedCpu(a.id(), false).view())))
                .toList();
        Attempt<GroupingView> grouping =
                attempt(() -> GroupingView.of(fleet.grouping("min-domains", null, null, null, null)));
        model.addAttribute("inventory", census.inventory());
        model.addAttribute("aggregates", rows);
        model.addAttribute("page", shown);
        var events = history.latestChanges(EVENTS_SHOWN);
        model.addAttribute("events", events);
        // events outlive the aggregates they name: only those still there get a link
        model.addAttribute(
                "liveAggregates",
                aggregates.existing(events.stream()
                        .flatMap(e -> e.aggregates().stream())
                        .map(x -> x.aggregateId())
                        .distinct()
                        .toList()));
        model.addAttribute("grouping", grouping);
        model.addAttribute("chart", grouping.value() == null ? null : GroupingChart.of(grouping.value()));
        return "dashboard/fleet";
    }

    @GetMapping(path = "/dashboard/aggregates/{id}", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView aggregate(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable String add,
            @RequestParam(required = false) @Nullable String remove) {
        AggregateView aggregate = aggregates.get(id);
        ModelAndView page = new ModelAndView("dashboard/aggregate");
        page.addObject("aggregate", aggregate);
        Attempt<RecommendationService.Answer> answer = attempt(() -> recommendations.recommendedCpu(id, false));
        page.addObject("answer", answer);
        page.addObject("matrixRows", MATRIX_ROWS);
        if (answer.value() != null) {
            page.addObject("cpu", answer.value().view());
            page.addObject("renderings", renderings(answer.value()));
            page.addObject("matrix", attempt(() -> recommendations.featureMatrix(id)));
        }
        page.addObject("guests", attempt(() -> guests.inventory(id)));
        page.addObject("history", history.latestOfAggregate(id, HISTORY_SHOWN));
        page.addObject("add", add == null ? "" : add);
        page.addObject("remove", remove == null ? "" : remove);
        if (add != null || remove != null) {
            try {
                page.addObject(
                        "whatIf",
                        attempt(() -> whatIfs.whatIf(id, new WhatIfRequest(hostIds(add), List.of(), hostIds(remove)))));
            } catch (InvalidRequestException e) {
                page.addObject("whatIfProblems", e.problems());
                page.setStatus(HttpStatus.UNPROCESSABLE_CONTENT);
            }
        }
        return page;
    }

    /** One rendering of the recommendation, or why it cannot be written in that format. */
    record Rendering(
            String format, @Nullable String text, @Nullable String problem) {}

    private List<Rendering> renderings(RecommendationService.Answer answer) {
        List<Rendering> renderings = new ArrayList<>();
        renderings.add(new Rendering("json", new String(answer.json(), StandardCharsets.UTF_8), null));
        for (OutputFormat format : OutputFormat.values()) {
            if (format == OutputFormat.JSON) {
                continue;
            }
            try {
                renderings.add(new Rendering(format.wireName(), answerRenderings.render(answer, format, null), null));
            } catch (ConflictException e) {
                renderings.add(new Rendering(format.wireName(), null, e.getMessage()));
            }
        }
        return renderings;
    }

    /** Host ids as people paste them: one a line, or separated by commas or spaces. */
    private static List<String> hostIds(@Nullable String text) {
        if (text == null) {
            return List.of();
        }
        return Arrays.stream(text.split("[\\s,;]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** A value, or why there is none: a part of a page that cannot be answered leaves the rest of the page. */
    record Attempt<T>(
            @Nullable T value,
            @Nullable String title,
            @Nullable String problem) {}

    private static <T> Attempt<T> attempt(Supplier<T> answer) {
        try {
            return new Attempt<>(answer.get(), null, null);
        } catch (ConflictException e) {
            return new Attempt<>(null, e.title(), e.getMessage());
        } catch (ServiceBusyException e) {
            return new Attempt<>(null, "Busy", e.getMessage() + "; reload the page in a moment");
        }
    }
}
