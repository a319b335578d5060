package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import io.nql.planner.plan.NqlOperators.LiteralCheck;
import io.nql.planner.plan.NqlOperators.Operand;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * NQL's functions beyond Calcite's library (NQL.md §8): e-mail and phone normalization, hashes,
 * HMAC, country codes and dates. Each is called by name (any case) in NQL; a NULL argument gives
 * NULL. The string functions are public static methods here, NORMALIZE_PHONE is {@link
 * PhoneNumbers}', the date functions {@link DateFunctions}'.
 *
 * <p>An option given as a literal (SHA2's bit length, NORMALIZE_PHONE's format and region, a date
 * unit) is checked when the statement is validated; given otherwise, when the call is evaluated.
 * Which calls may run below a rule's security barrier is {@code policy.LeakProof}'s decision.
 */
public final class NqlFunctions {
  private NqlFunctions() {}

  /** The operators, by NQL name. */
  private static final Map<String, SqlOperator> OPERATORS = operators();

  /** NQL's DATE_TRUNC, also for calls the parser reads as BigQuery's (its keyword). */
  static final SqlOperator DATE_TRUNC = OPERATORS.get("DATE_TRUNC");

  private static final SqlOperatorTable TABLE = table();

  private static Map<String, SqlOperator> operators() {
    Map<String, SqlOperator> m = new HashMap<>();
    m.put("NORMALIZE_EMAIL", strings("NORMALIZE_EMAIL", "normalizeEmail", LiteralCheck.NONE));
    m.put(
        "SHA2",
        strings(
            "SHA2",
            "sha2",
            b -> {
              BigDecimal bits = NqlOperators.numericLiteral(b, 1);
              if (bits != null) {
                sha2Algorithm(bits);
              }
            }));
    m.put("MD5", strings("MD5", "md5", LiteralCheck.NONE));
    m.put("SHA1", strings("SHA1", "sha1", LiteralCheck.NONE));
    m.put("HMAC_SHA256", strings("HMAC_SHA256", "hmacSha256", LiteralCheck.NONE));
    m.put(
        "COUNTRY_CODE_3_TO_2",
        strings("COUNTRY_CODE_3_TO_2", "countryCode3To2", LiteralCheck.NONE));
    m.put(
        "COUNTRY_CODE_2_TO_3",
        strings("COUNTRY_CODE_2_TO_3", "countryCode2To3", LiteralCheck.NONE));
    m.put(
        "NORMALIZE_PHONE",
        NqlOperators.strings(
            "NORMALIZE_PHONE",
            method(PhoneNumbers.class, "normalizePhone"),
            b -> {
              String format = NqlOperators.stringLiteral(b, 0);
              if (format != null) {
                PhoneNumbers.checkedFormat(format);
              }
              String region = NqlOperators.stringLiteral(b, 2);
              if (region != null) {
                PhoneNumbers.checkedRegion(region);
              }
            }));
    m.put(
        "DATE_TRUNC",
        NqlOperators.overloaded(
            "DATE_TRUNC",
            List.of(Operand.STRING, Operand.DATETIME),
            ReturnTypes.ARG1,
            unitCheck("DATE_TRUNC", -1),
            DateFunctions.class,
            "dateTrunc",
            false));
    m.put(
        "DATE_ADD",
        NqlOperators.overloaded(
            "DATE_ADD",
            List.of(Operand.STRING, Operand.INTEGER, Operand.DATETIME),
            ReturnTypes.ARG2,
            unitCheck("DATE_ADD", 2),
            DateFunctions.class,
            "dateAdd",
            false));
    m.put(
        "DATEDIFF",
        NqlOperators.overloaded(
            "DATEDIFF",
            List.of(Operand.STRING, Operand.DATETIME, Operand.DATETIME),
            ReturnTypes.BIGINT,
            unitCheck("DATEDIFF", -1),
            DateFunctions.class,
            "datediff",
            true));
    m.put(
        "FROM_UNIXTIME",
        NqlOperators.overloaded(
            "FROM_UNIXTIME",
            List.of(Operand.NUMBER),
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3),
            LiteralCheck.NONE,
            DateFunctions.class,
            "fromUnixtime",
            false));
    return Map.copyOf(m);
  }

  /**
   * Checks a literal unit (operand 0); with {@code dateOperand} ≥ 0, also that it moves a DATE
   * there by whole days.
   */
  private static LiteralCheck unitCheck(String function, int dateOperand) {
    return b -> {
      String unit = NqlOperators.stringLiteral(b, 0);
      if (unit == null) {
        return;
      }
      if (dateOperand >= 0 && b.getOperandType(dateOperand).getSqlTypeName() == SqlTypeName.DATE) {
        DateFunctions.dateUnit(unit, function);
      } else {
        DateFunctions.unit(unit, function);
      }
    };
  }

  private static SqlOperator strings(String name, String method, LiteralCheck check) {
    return NqlOperators.strings(name, method(NqlFunctions.class, method), check);
  }

  /** The operator table of these functions (chained after Calcite's standard one). */
  public static SqlOperatorTable operatorTable() {
    return TABLE;
  }

  /**
   * The NQL name of an operator if it is one of these functions, else null (policy decisions are
   * made by name, only for these very operators).
   */
  public static @Nullable String nameOf(SqlOperator op) {
    SqlOperator ours = OPERATORS.get(op.getName().toUpperCase(Locale.ROOT));
    return ours == op ? op.getName() : null;
  }

  /**
   * Makes the calls that Calcite's parser builds for a keyword calls of NQL's function of that
   * name. {@code DATE_TRUNC} is a keyword, parsed as BigQuery's {@code DATE_TRUNC(date, unit)} or
   * Redshift's {@code DATE_TRUNC('unit', date)}: its second operand, when it is a word that names a
   * unit ({@code week}, {@code day}), is read as that unit, where in NQL it can only be a column of
   * that name. Changes the tree in place.
   */
  static void resolveKeywordCalls(SqlNode query) {
    query.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call instanceof SqlBasicCall b
                && b.getOperator() == SqlLibraryOperators.DATE_TRUNC) {
              b.setOperator(DATE_TRUNC);
              if (b.operandCount() == 2
                  && b.operand(1) instanceof SqlIntervalQualifier q
                  && q.timeFrameName == null
                  && q.timeUnitRange.endUnit == null) {
                // the parser kept only the unit: DAYOFWEEK and DAYOFYEAR come back as dow, doy
                String word = q.timeUnitRange.startUnit.name().toLowerCase(Locale.ROOT);
                b.setOperand(1, new SqlIdentifier(word, q.getParserPosition()));
              }
            }
            return super.visit(call);
          }
        });
  }

  private static SqlOperatorTable table() {
    return new SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(
          SqlIdentifier opName,
          @Nullable SqlFunctionCategory category,
          SqlSyntax syntax,
          List<SqlOperator> operatorList,
          SqlNameMatcher nameMatcher) {
        if (opName.isSimple() && syntax == SqlSyntax.FUNCTION) {
          SqlOperator op = OPERATORS.get(opName.getSimple().toUpperCase(Locale.ROOT));
          if (op != null) {
            operatorList.add(op);
          }
        }
      }

      @Override
      public List<SqlOperator> getOperatorList() {
        return new ArrayList<>(OPERATORS.values());
      }
    };
  }

  private static Method method(Class<?> owner, String name) {
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalStateException("no method " + name);
  }

  /**
   * An e-mail address in one canonical form, or NULL when {@code s} is not one: trimmed, lower
   * case, without a {@code +tag} in the local part; for Gmail (gmail.com, googlemail.com) also
   * without dots in the local part and with the domain gmail.com. {@code
   * NORMALIZE_EMAIL('John.Doe+test@Gmail.COM')} is {@code 'johndoe@gmail.com'}.
   */
  public static @Nullable String normalizeEmail(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String e = s.strip().toLowerCase(Locale.ROOT);
    int at = e.lastIndexOf('@');
    if (at <= 0
        || at == e.length() - 1
        || e.indexOf('@') != at
        || e.chars().anyMatch(c -> c <= ' ')) {
      return null;
    }
    String local = e.substring(0, at);
    String domain = e.substring(at + 1);
    int plus = local.indexOf('+');
    if (plus == 0) {
      return null;
    }
    if (plus > 0) {
      local = local.substring(0, plus);
    }
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      local = local.replace(".", "");
      domain = "gmail.com";
    }
    return local.isEmpty() || !domain.contains(".") ? null : local + "@" + domain;
  }

  /**
   * The SHA-2 digest of a string's UTF-8 bytes as lower-case hex: {@code SHA2(s, 256)}; the bit
   * length is 224, 256, 384 or 512 (0 means 256). {@code SHA2('abc', 256)} is {@code
   * 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'}.
   *
   * @throws EvaluationException {@code 22023} for another bit length (naming no value)
   */
  public static @Nullable String sha2(@Nullable String s, @Nullable Integer bits) {
    if (s == null || bits == null) {
      return null;
    }
    return digest(sha2Algorithm(BigDecimal.valueOf(bits)), s);
  }

  /**
   * The digest algorithm of a SHA2 bit length.
   *
   * @throws EvaluationException {@code 22023} for a length that is not 0, 224, 256, 384 or 512
   */
  private static String sha2Algorithm(BigDecimal bits) {
    return switch (bits.stripTrailingZeros().toPlainString()) {
      case "0", "256" -> "SHA-256";
      case "224" -> "SHA-224";
      case "384" -> "SHA-384";
      case "512" -> "SHA-512";
      // an error of evaluating a row: it never names the value (it may be a column's)
      default ->
          throw new EvaluationException(
              ErrorCode.INVALID_PARAMETER_VALUE,
              "Invalid bit length for SHA2: expected 224, 256, 384 or 512");
    };
  }

  /** Whether SHA2 with this bit length computes a digest (rather than failing). */
  public static boolean validSha2Bits(BigDecimal bits) {
    try {
      sha2Algorithm(bits);
      return true;
    } catch (EvaluationException e) {
      return false;
    }
  }

  /** The MD5 digest of a string's UTF-8 bytes as lower-case hex. */
  public static @Nullable String md5(@Nullable String s) {
    return s == null ? null : digest("MD5", s);
  }

  /** The SHA-1 digest of a string's UTF-8 bytes as lower-case hex. */
  public static @Nullable String sha1(@Nullable String s) {
    return s == null ? null : digest("SHA-1", s);
  }

  /** HMAC-SHA256 of a string's UTF-8 bytes under a key's UTF-8 bytes, as lower-case hex. */
  public static @Nullable String hmacSha256(@Nullable String key, @Nullable String s) {
    if (key == null || s == null) {
      return null;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // an empty key is valid HMAC (RFC 2104 pads it), which SecretKeySpec refuses: one zero byte
      // is the same padded key
      byte[] k = key.getBytes(StandardCharsets.UTF_8);
      mac.init(new SecretKeySpec(k.length == 0 ? new byte[1] : k, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ISO 3166-1 alpha-2 code of an alpha-3 code (any case, trimmed), or NULL if none. */
  public static @Nullable String countryCode3To2(@Nullable String s) {
    return s == null ? null : Countries.ALPHA3_TO_2.get(s.strip().toUpperCase(Locale.ROOT));
  }

  /** The ISO 3166-1 alpha-3 code of an alpha-2 code (any case, trimmed), or NULL if none. */
  public static @Nullable String countryCode2To3(@Nullable String s) {
    return s == null ? null : Countries.ALPHA2_TO_3.get(s.strip().toUpperCase(Locale.ROOT));
  }

  private static final class Countries {
    static final Map<String, String> ALPHA3_TO_2 = new HashMap<>();
    static final Map<String, String> ALPHA2_TO_3 = new HashMap<>();

    static {
      for (String a2 : Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2)) {
        String a3 = new Locale("", a2).getISO3Country();
        if (!a3.isEmpty()) {
          ALPHA3_TO_2.put(a3, a2);
          ALPHA2_TO_3.put(a2, a3);
        }
      }
    }
  }

  private static String digest(String algorithm, String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
