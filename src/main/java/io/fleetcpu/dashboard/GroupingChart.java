package io.fleetcpu.dashboard;

import io.fleetcpu.fleet.GroupingView;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fleet's migration domains as a horizontal bar chart drawn in SVG on the server: one bar per domain, its
 * length the domain's hosts. The page sends no script and no style of its own for it.
 */
record GroupingChart(int width, int height, List<Bar> bars) {

    static final int LABEL_WIDTH = 260;
    static final int BAR_AREA = 360;
    static final int ROW = 28;

    /**
     * @param y the bar's top
     * @param length the bar's length, at least one pixel for a domain with hosts
     */
    record Bar(
            String name,
            @Nullable String model,
            @Nullable String level,
            int hosts,
            int featuresGivenUp,
            int y,
            int length) {

        public int textY() {
            return y + 17;
        }

        public int countX() {
            return LABEL_WIDTH + length + 6;
        }
    }

    static GroupingChart of(GroupingView grouping) {
        int most = grouping.domains().stream()
                .mapToInt(GroupingView.Domain::hostCount)
                .max()
                .orElse(1);
        List<Bar> bars = new ArrayList<>();
        for (GroupingView.Domain d : grouping.domains()) {
            int length =
                    d.hostCount() == 0 ? 0 : Math.max(1, (int) Math.round((double) BAR_AREA * d.hostCount() / most));
            bars.add(new Bar(
                    d.name(),
                    d.model() != null ? d.model() : d.mode() != null ? d.mode() : "no CPU fits",
                    d.level(),
                    d.hostCount(),
                    d.featuresGivenUp().size(),
                    bars.size() * ROW + 4,
                    length));
        }
        return new GroupingChart(LABEL_WIDTH + BAR_AREA + 80, Math.max(ROW, bars.size() * ROW + 8), bars);
    }

    public int labelWidth() {
        return LABEL_WIDTH;
    }
}
