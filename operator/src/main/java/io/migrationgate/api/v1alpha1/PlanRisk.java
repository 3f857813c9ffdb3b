package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The plan Job's review of the pending scripts (status.plan.risk); docs/approvals.md, "Risk and approval rules". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanRisk {

  @JsonPropertyDescription(
      "none, low, high or destructive: the highest severity among the findings no script comment allowed.")
  public String level;

  @JsonPropertyDescription("sha256 over every finding; the plan's digest covers it, so an approval names this review.")
  public String digest;

  @JsonPropertyDescription("How many findings the review made, allowed ones included.")
  public Integer findingsTotal;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The findings that stand, then those a script comment allowed, each in script and line "
      + "order (shortened when long: see findingsTotal; all are in the plan's evidence).")
  public List<Finding> findings = new ArrayList<>();

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Finding {

    @JsonPropertyDescription("The rule's stable id, e.g. drop-column or pg-index-without-concurrently.")
    public String rule;

    @JsonPropertyDescription("low, high or destructive.")
    public String severity;

    @JsonPropertyDescription("The script's file name.")
    public String script;

    @JsonPropertyDescription("The line of the statement's first word in the script.")
    public Integer line;

    @JsonPropertyDescription("What the statement does.")
    public String message;

    @JsonPropertyDescription("The safer way to do the same thing.")
    public String saferAlternative;

    @JsonPropertyDescription(
        "The reason a migration-gate:allow comment in the script gave for allowing it; absent when the finding stands.")
    public String suppressed;

    public Finding() {}

    public Finding(String rule, String severity, String script, Integer line, String message, String saferAlternative,
        String suppressed) {
      this.rule = rule;
      this.severity = severity;
      this.script = script;
      this.line = line;
      this.message = message;
      this.saferAlternative = saferAlternative;
      this.suppressed = suppressed;
    }
  }
}
