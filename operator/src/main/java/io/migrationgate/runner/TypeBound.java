package io.migrationgate.runner;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bound a narrower type puts on a column's values, where one count decides whether every
 * value fits: a length ({@code varchar(n)}, {@code char(n)}: longer than {@code n} characters once
 * trailing spaces are cut), an integer range ({@code smallint}, {@code int}, MySQL's {@code
 * tinyint} and {@code mediumint}, signed or unsigned), or a precision ({@code numeric(p,s)}: an
 * absolute value that rounds to {@code 10^(p-s)} or more). Other types have none here.
 */
record TypeBound(Kind kind, long length, BigDecimal min, BigDecimal max) {

  enum Kind { LENGTH, RANGE, PRECISION }

  private static final Pattern TYPE = Pattern.compile("^\\s*([a-z][a-z0-9_]*)[a-z ]*(?:\\(([^)]*)\\))?.*$");
  private static final Set<String> CHARACTER = Set.of("varchar", "char", "character", "nvarchar", "nchar");
  private static final Set<String> DECIMAL = Set.of("numeric", "decimal", "dec");
  /** Signed bounds; unsigned ones run from 0 to twice the maximum plus one. */
  private static final Map<String, Long> INTEGER_MAX = Map.of("tinyint", 127L, "smallint", 32_767L, "int2", 32_767L,
      "mediumint", 8_388_607L, "int", 2_147_483_647L, "int4", 2_147_483_647L, "integer", 2_147_483_647L);
  /** The catalog's data_type words of the columns each kind of bound can be checked on. */
  private static final Set<String> NUMBER_TYPES = Set.of("smallint", "integer", "int", "bigint", "tinyint", "mediumint",
      "numeric", "decimal", "real", "double precision", "double", "float");

  /** The bound of {@code type} as a script writes it ("varchar(20)", "int unsigned", "numeric(10, 2)"), or null. */
  static TypeBound of(String type) {
    String lower = type.toLowerCase(Locale.ROOT);
    Matcher matcher = TYPE.matcher(lower);
    if (!matcher.matches()) {
      return null;
    }
    String name = matcher.group(1);
    List<String> arguments = matcher.group(2) == null ? List.of()
        : List.of(matcher.group(2).replace(" ", "").split(","));
    try {
      if (CHARACTER.contains(name) && arguments.size() == 1) {
        return new TypeBound(Kind.LENGTH, Long.parseLong(arguments.get(0)), null, null);
      }
      if (INTEGER_MAX.containsKey(name)) {
        long max = INTEGER_MAX.get(name);
        boolean unsigned = lower.contains("unsigned");
        return new TypeBound(Kind.RANGE, 0, BigDecimal.valueOf(unsigned ? 0 : -max - 1),
            BigDecimal.valueOf(unsigned ? 2 * max + 1 : max));
      }
      if (DECIMAL.contains(name) && !arguments.isEmpty()) {
        int precision = Integer.parseInt(arguments.get(0));
        int scale = arguments.size() > 1 ? Integer.parseInt(arguments.get(1)) : 0;
        // rounded to the scale, a value overflows from 10^(p-s) on: 99.995 is 100.00 at scale 2
        BigDecimal limit = BigDecimal.TEN.pow(precision - scale).subtract(new BigDecimal("0.5").movePointLeft(scale));
        return new TypeBound(Kind.PRECISION, 0, null, limit);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    return null;
  }

  /** Whether a column whose catalog data_type is {@code current} can be checked against this bound. */
  boolean checks(String current) {
    String type = current.toLowerCase(Locale.ROOT);
    boolean character = type.contains("char") || type.contains("text");
    return kind == Kind.LENGTH ? character : NUMBER_TYPES.contains(type);
  }

  /** The condition a value that does not fit meets, on the quoted column, and its parameters. */
  String condition(String column) {
    return switch (kind) {
      case LENGTH -> "char_length(rtrim(" + column + ")) > ?";
      case RANGE -> column + " < ? OR " + column + " > ?";
      case PRECISION -> "abs(" + column + ") >= ?";
    };
  }

  Object[] parameters() {
    return switch (kind) {
      case LENGTH -> new Object[] {length};
      case RANGE -> new Object[] {min, max};
      case PRECISION -> new Object[] {max};
    };
  }
}
