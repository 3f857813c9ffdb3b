package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequestStatus;
import java.util.Optional;

/**
 * A decision: the status the request should have, why it stands there, and the one action to
 * perform next. The status's conditions are still the request's; the StatusRecorder shows the
 * verdict in them when it writes the status. A final request has no verdict (its conditions
 * stand), nor has a step that only asks for an action before the decision can be made.
 */
public record Step(MigrationRequestStatus status, Optional<Verdict> verdict, Action action) {}
