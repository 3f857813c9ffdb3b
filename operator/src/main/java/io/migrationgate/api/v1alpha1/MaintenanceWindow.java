package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.migrationgate.contract.Durations;
import java.util.List;

/**
 * One weekly maintenance window of a MigrationTarget: it opens on each listed day at a local time
 * in an IANA time zone and stays open for a duration, which may run past midnight.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MaintenanceWindow {

  /** A day of the week as a window lists it; the schema admits these names only. */
  public enum Weekday { Mon, Tue, Wed, Thu, Fri, Sat, Sun }

  /** The longest window: a week, every hour of it. */
  public static final String LONGEST = "168h";

  @Size(min = 1, max = 7)
  @JsonPropertyDescription("The days (in timeZone) the window opens on: Mon, Tue, Wed, Thu, Fri, Sat, Sun. "
      + "Absent: every day.")
  public List<Weekday> days;

  @Required
  @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
  @JsonPropertyDescription("When the window opens, local time in timeZone, as HH:MM (24-hour clock), e.g. 22:00. "
      + "On a day when the clocks go forward past this time, the window opens when that hour ends.")
  public String start;

  @Required
  @Size(max = 32)
  @Pattern(Durations.PATTERN)
  @ValidationRule(value = "duration(self) >= duration('1m') && duration(self) <= duration('" + LONGEST + "')",
      message = "duration must be between 1m and " + LONGEST + ", written like 2h or 1h30m")
  @JsonPropertyDescription("How long the window stays open, as elapsed time (2h is two hours also across a clock "
      + "change), e.g. 2h or 1h30m; between 1m and " + LONGEST + ". A run that started inside the window is not "
      + "stopped when it closes.")
  public String duration;

  @Size(min = 1, max = 64)
  @Pattern("^(UTC|[A-Za-z]+(/[A-Za-z0-9_+-]+)+)$")
  @JsonPropertyDescription("The IANA time zone of days and start, e.g. Europe/Berlin or America/New_York (default: "
      + "UTC). The operator reads it with its own time zone database; a name it does not know stops launches on "
      + "this target with the reason InvalidMaintenanceWindow.")
  public String timeZone;
}
