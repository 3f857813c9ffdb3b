package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.migrationgate.contract.SingleStatement;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifySpec {

  @Required
  @Size(min = 1, max = 128)
  @JsonPropertyDescription("A short name shown in the evidence.")
  public String name;

  @Required
  @Size(min = 1, max = 8192)
  @ValidationRule(
      value = "!self.matches(r'''" + SingleStatement.OBVIOUSLY_SEVERAL + "''')",
      message = "verify sql must be exactly one statement (a trailing ';' is allowed): a second statement "
          + "could end the read-only transaction and write")
  @JsonPropertyDescription("A read-only query; the first column of its first row is compared with expect.")
  public String sql;

  @Required
  @Size(max = 1024)
  @JsonPropertyDescription("The expected value of the first column of the first row, as text.")
  public String expect;
}
