package io.migrationgate.runner.review;

import io.migrationgate.runner.review.SqlTokens.Kind;
import io.migrationgate.runner.review.SqlTokens.Token;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The statement as JSqlParser is given it, and what was taken out on the way. JSqlParser 5.3 has
 * no grammar for a few clauses these rules turn on; each is found on the statement's tokens
 * (outside comments, literals and parentheses, so never inside a string or a subquery), recorded
 * here, and removed or respelled so that the rest of the statement can be parsed:
 *
 * <ul>
 *   <li>{@code CONCURRENTLY} right after {@code CREATE [UNIQUE] INDEX} or {@code DROP INDEX};
 *   <li>in {@code CREATE INDEX}, everything after the column list ({@code INCLUDE}, {@code WITH},
 *       {@code TABLESPACE}, a partial index's {@code WHERE}), and {@code NULLS FIRST|LAST};
 *   <li>in {@code ALTER TABLE}: {@code NOT VALID} (remembered per action), {@code SET DATA TYPE}
 *       (read as {@code TYPE}), {@code USING INDEX name} (remembered per action), MySQL's
 *       {@code DROP FOREIGN KEY} and {@code DROP CHECK} (read as {@code DROP CONSTRAINT});
 *   <li>the second and later names of {@code DROP TABLE a, b} (the rules read the names from the tokens);
 *   <li>{@code SET name TO value} (read as {@code SET name = value}).
 * </ul>
 *
 * Comments are blanked (their line breaks kept), so the parser's line numbers stay the script's.
 */
record ParserInput(String sql, boolean concurrently, Set<Integer> notValidActions, Set<Integer> usingIndexActions) {

  static ParserInput of(String text, List<Token> tokens) {
    return new Builder(text, tokens).build();
  }

  private static final class Builder {
    private final String text;
    private final List<Token> code;
    // start offset -> (end offset, replacement): the parts of the text that change
    private final TreeMap<Integer, Edit> edits = new TreeMap<>();
    private boolean concurrently;
    private final Set<Integer> notValidActions = new HashSet<>();
    private final Set<Integer> usingIndexActions = new HashSet<>();

    private record Edit(int end, String replacement) {}

    Builder(String text, List<Token> tokens) {
      this.text = text;
      this.code = SqlTokens.code(tokens);
      for (Token token : tokens) {
        if (token.kind() == Kind.COMMENT) {
          edits.put(token.start(), new Edit(token.end(), token.text().replaceAll("[^\n]", " ")));
        }
      }
    }

    ParserInput build() {
      if (startsWith("CREATE", "INDEX") || startsWith("CREATE", "UNIQUE", "INDEX")) {
        createIndex();
      } else if (startsWith("DROP", "INDEX", "CONCURRENTLY")) {
        concurrently = true;
        remove(code.get(2));
      } else if (startsWith("DROP")) {
        dropList();
      } else if (startsWith("ALTER", "TABLE")) {
        alterTable();
      } else if (startsWith("SET")) {
        setTo();
      }
      StringBuilder sql = new StringBuilder();
      int at = 0;
      for (var edit : edits.entrySet()) {
        if (edit.getKey() < at) {
          continue; // a comment inside a part already cut
        }
        sql.append(text, at, edit.getKey()).append(edit.getValue().replacement());
        at = edit.getValue().end();
      }
      sql.append(text.substring(at));
      return new ParserInput(sql.toString(), concurrently, Set.copyOf(notValidActions), Set.copyOf(usingIndexActions));
    }

    private void createIndex() {
      int at = code.get(1).isWord("UNIQUE") ? 3 : 2;
      if (at < code.size() && code.get(at).isWord("CONCURRENTLY")) {
        concurrently = true;
        remove(code.get(at));
      }
      int depth = 0;
      boolean afterOn = false;
      for (int i = at; i < code.size(); i++) {
        Token token = code.get(i);
        if (token.isSymbol('(')) {
          depth++;
        } else if (token.isSymbol(')')) {
          depth--;
          if (depth == 0 && afterOn && i + 1 < code.size()) {
            edits.put(code.get(i + 1).start(), new Edit(text.length(), ""));
            return;
          }
        } else if (depth == 0 && token.isWord("ON")) {
          afterOn = true;
        } else if (depth > 0 && token.isWord("NULLS") && i + 1 < code.size()
            && (code.get(i + 1).isWord("FIRST") || code.get(i + 1).isWord("LAST"))) {
          remove(token);
          remove(code.get(++i));
        }
      }
    }

    /** DROP TABLE a, b: the parser reads one name, so the others are blanked. */
    private void dropList() {
      int depth = 0;
      for (int i = 1; i < code.size(); i++) {
        Token token = code.get(i);
        depth += token.isSymbol('(') ? 1 : token.isSymbol(')') ? -1 : 0;
        if (depth != 0 || !token.isSymbol(',')) {
          continue;
        }
        int last = i;
        while (last + 1 < code.size() && isNamePart(code.get(last + 1))) {
          last++;
        }
        edits.put(token.start(), new Edit(code.get(last).end(), " ".repeat(code.get(last).end() - token.start())));
        i = last;
      }
    }

    private static boolean isNamePart(Token token) {
      return token.kind() == Kind.WORD && !token.isWord("CASCADE") && !token.isWord("RESTRICT")
          || token.kind() == Kind.QUOTED_NAME || token.isSymbol('.');
    }

    private void alterTable() {
      int depth = 0;
      int action = 0;
      for (int i = 2; i < code.size(); i++) {
        Token token = code.get(i);
        if (token.isSymbol('(')) {
          depth++;
        } else if (token.isSymbol(')')) {
          depth--;
        } else if (depth > 0) {
          continue;
        } else if (token.isSymbol(',')) {
          action++;
        } else if (wordsAt(i, "NOT", "VALID")) {
          notValidActions.add(action);
          remove(token);
          remove(code.get(++i));
        } else if (wordsAt(i, "SET", "DATA", "TYPE")) {
          remove(token);
          remove(code.get(++i));
        } else if (wordsAt(i, "USING", "INDEX") && i + 2 < code.size()) {
          usingIndexActions.add(action);
          edits.put(token.start(), new Edit(code.get(i + 2).end(), "(" + code.get(i + 2).text() + ")"));
          i += 2;
        } else if (wordsAt(i, "DROP", "FOREIGN", "KEY")) {
          edits.put(code.get(i + 1).start(), new Edit(code.get(i + 2).end(), "CONSTRAINT"));
          i += 2;
        } else if (wordsAt(i, "DROP", "CHECK")) {
          edits.put(code.get(i + 1).start(), new Edit(code.get(i + 1).end(), "CONSTRAINT"));
          i++;
        }
      }
    }

    private void setTo() {
      int at = code.size() > 1 && (code.get(1).isWord("SESSION") || code.get(1).isWord("LOCAL")) ? 3 : 2;
      if (at < code.size() && code.get(at).isWord("TO")) {
        edits.put(code.get(at).start(), new Edit(code.get(at).end(), "="));
      }
    }

    private boolean startsWith(String... words) {
      return wordsAt(0, words);
    }

    private boolean wordsAt(int at, String... words) {
      if (at + words.length > code.size()) {
        return false;
      }
      for (int i = 0; i < words.length; i++) {
        if (!code.get(at + i).isWord(words[i])) {
          return false;
        }
      }
      return true;
    }

    private void remove(Token token) {
      edits.put(token.start(), new Edit(token.end(), " ".repeat(token.end() - token.start())));
    }
  }
}
