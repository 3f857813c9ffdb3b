package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.migrationgate.contract.PinnedImage;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSource {

  public static final String DEFAULT_PATH = "/migrations";

  @Required
  @Size(max = 512)
  @ValidationRule(
      value = PinnedImage.RULE,
      message = "migrations.image.ref must be pinned by digest, e.g. registry/app-migrations@sha256:<64 hex>")
  @JsonPropertyDescription("Image reference pinned by digest: registry/name@sha256:<64 hex>.")
  public String ref;

  @Pattern("^/[^\\s]*$")
  @JsonPropertyDescription("Absolute directory in the image holding the scripts (default /migrations).")
  public String path;
}
