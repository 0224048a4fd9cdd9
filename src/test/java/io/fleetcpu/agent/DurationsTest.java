package io.fleetcpu.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsDurationsAsWrittenInAUnitFile() {
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 2M ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[] {"soon", "5", "m5", "5 m", "5mx", ""}) {
            assertThatThrownBy(() -> Durations.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void writesDurationsShortly() {
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(Durations.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
    }

    @Test
    void backOffDoublesUpToTheMaximumWithJitterInTheUpperHalf() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(5));

        assertThat(schedule.delayAfter(1, () -> 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(schedule.delayAfter(1, () -> 0.999)).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
        assertThat(schedule.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(schedule.delayAfter(30, () -> 0.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(schedule.delayAfter(30, () -> 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(8));
    }
}
