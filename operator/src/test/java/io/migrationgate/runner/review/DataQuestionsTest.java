package io.migrationgate.runner.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.runner.review.DataQuestion.Name;
import io.migrationgate.runner.review.ScriptReview.DataCheck;
import io.migrationgate.runner.review.ScriptReview.Review;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The questions the review leaves for the plan's live data checks, each tied to its finding. */
class DataQuestionsTest {

  private static final Name USERS = new Name(null, "users");

  private static List<DataQuestion> questions(Review review, String rule) {
    return review.checks().stream().filter(c -> review.findings().get(c.finding()).rule().equals(rule))
        .map(DataCheck::question).toList();
  }

  @Test
  void aUniqueIndexAsksForDuplicatesOfItsColumnsAndItsTableSize() {
    Review review = Reviews.postgres("create unique index users_email on app.\"Users\" (Email, \"Tenant\");\n");

    Name table = new Name("app", "Users");
    assertThat(questions(review, "data-unique"))
        .containsExactly(new DataQuestion.Duplicates(table, List.of("email", "Tenant")));
    assertThat(questions(review, "pg-index-without-concurrently")).containsExactly(new DataQuestion.Size(table, false));
  }

  @Test
  void aPartialOrExpressionIndexIsNotAsked() {
    assertThat(questions(Reviews.postgres("create unique index u on users (email) where deleted_at is null;\n"),
        "data-unique")).containsExactly(new DataQuestion.NotAsked(USERS,
            "the index is partial (WHERE ...): only some rows must be unique"));
    assertThat(questions(Reviews.postgres("create unique index u on users (lower(email));\n"), "data-unique"))
        .containsExactly(new DataQuestion.NotAsked(USERS, "the index is on an expression or a column prefix"));
  }

  @Test
  void aPrimaryKeyAsksForDuplicatesAndNulls() {
    assertThat(questions(Reviews.mariadb("alter table users add primary key (id, `Tenant`);\n"), "data-unique"))
        .containsExactly(new DataQuestion.Duplicates(USERS, List.of("id", "Tenant")),
            new DataQuestion.Nulls(USERS, "id"), new DataQuestion.Nulls(USERS, "Tenant"));
  }

  @Test
  void notNullForeignKeyAndNarrowingAskTheirQuestions() {
    Review review = Reviews.postgres("alter table users alter column email set not null;\n"
        + "alter table users add constraint fk foreign key (org_id) references orgs (id);\n"
        + "alter table users alter column email type varchar(5);\n"
        + "alter table users add column code int not null;\n");

    assertThat(questions(review, "data-not-null")).containsExactly(new DataQuestion.Nulls(USERS, "email"),
        new DataQuestion.AnyRow(USERS));
    assertThat(questions(review, "data-foreign-key")).containsExactly(
        new DataQuestion.Orphans(USERS, List.of("org_id"), new Name(null, "orgs"), List.of("id")));
    assertThat(questions(review, "data-narrowing-type")).containsExactly(new DataQuestion.Fits(USERS, "email", "varchar(5)"));
    assertThat(questions(review, "pg-type-change-rewrite")).containsExactly(new DataQuestion.Size(USERS, false));
  }

  @Test
  void aDropIndexAsksForTheSizeOfTheIndexsTable() {
    assertThat(questions(Reviews.postgres("drop index app.users_email;\n"), "pg-drop-index-without-concurrently"))
        .containsExactly(new DataQuestion.Size(new Name("app", "users_email"), true));
  }

  @Test
  void aCheckNamesTheEarlierStatementThatWritesItsRows() {
    Review review = Reviews.mariadb("update users set email = concat(id, email) where id > 3;\n"
        + "create table orgs (id int primary key);\n"
        + "alter table audit modify note varchar(10);\n"
        + "alter table users modify email varchar(10);\n");

    assertThat(review.checks()).filteredOn(c -> c.question() instanceof DataQuestion.Fits)
        .extracting(c -> c.question().table().name(), DataCheck::changedBefore)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("audit", null),
            org.assertj.core.groups.Tuple.tuple("users", Reviews.V2 + ":1"));
  }

  @Test
  void aStatementTheReviewCannotReadMayWriteAnyTable() {
    Review review = Reviews.postgres("do $$ begin delete from users; end $$;\n"
        + "alter table users alter column email set not null;\n");

    assertThat(review.checks()).filteredOn(c -> c.question() instanceof DataQuestion.Nulls)
        .extracting(DataCheck::changedBefore).containsExactly(Reviews.V2 + ":1");
  }
}
