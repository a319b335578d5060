package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.EvaluationException;
import java.lang.reflect.Method;
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
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * NQL's functions beyond Calcite's library (NQL.md §8): e-mail normalization, hashes, HMAC and
 * country codes. Each is a public static method here, called by name (any case) in NQL; a NULL
 * argument gives NULL.
 *
 * <p>For the policy rewrite none of them is leak-proof yet: a buyer's filter that calls one is
 * evaluated above a rule's security barrier, on the rule's rows only.
 */
public final class NqlFunctions {
  private NqlFunctions() {}

  /** NQL name → the method that implements it. */
  private static final Map<String, String> METHODS =
      Map.of(
          "NORMALIZE_EMAIL", "normalizeEmail",
          "SHA2", "sha2",
          "MD5", "md5",
          "SHA1", "sha1",
          "HMAC_SHA256", "hmacSha256",
          "COUNTRY_CODE_3_TO_2", "countryCode3To2",
          "COUNTRY_CODE_2_TO_3", "countryCode2To3");

  private static final SqlOperatorTable TABLE = table();

  /** The operator table of these functions (chained after Calcite's standard one). */
  public static SqlOperatorTable operatorTable() {
    return TABLE;
  }

  private static SqlOperatorTable table() {
    Map<String, SqlOperator> byName = new HashMap<>();
    for (Map.Entry<String, String> e : METHODS.entrySet()) {
      byName.put(e.getKey(), operator(e.getKey(), method(e.getValue())));
    }
    return new SqlOperatorTable() {
      @Override
      public void lookupOperatorOverloads(
          SqlIdentifier opName,
          @Nullable SqlFunctionCategory category,
          SqlSyntax syntax,
          List<SqlOperator> operatorList,
          SqlNameMatcher nameMatcher) {
        if (opName.isSimple() && syntax == SqlSyntax.FUNCTION) {
          SqlOperator op = byName.get(opName.getSimple().toUpperCase(Locale.ROOT));
          if (op != null) {
            operatorList.add(op);
          }
        }
      }

      @Override
      public List<SqlOperator> getOperatorList() {
        return new ArrayList<>(byName.values());
      }
    };
  }

  /**
   * A function of VARCHAR (and INTEGER) arguments returning a nullable VARCHAR, implemented by a
   * public static method (Calcite generates the call).
   */
  private static SqlOperator operator(String name, Method method) {
    List<SqlTypeName> params = new ArrayList<>();
    for (Class<?> c : method.getParameterTypes()) {
      params.add(c == Integer.class ? SqlTypeName.INTEGER : SqlTypeName.VARCHAR);
    }
    List<SqlTypeFamily> families = new ArrayList<>();
    for (SqlTypeName t : params) {
      families.add(t == SqlTypeName.INTEGER ? SqlTypeFamily.INTEGER : SqlTypeFamily.CHARACTER);
    }
    JavaTypeFactoryImpl types = new JavaTypeFactoryImpl(NqlTypeSystem.INSTANCE);
    List<RelDataType> argTypes = new ArrayList<>();
    for (SqlTypeName t : params) {
      argTypes.add(types.createTypeWithNullability(types.createSqlType(t), true));
    }
    return new SqlUserDefinedFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.FORCE_NULLABLE),
        InferTypes.explicit(argTypes),
        OperandTypes.operandMetadata(
            families,
            factory -> {
              List<RelDataType> out = new ArrayList<>();
              for (SqlTypeName t : params) {
                out.add(factory.createTypeWithNullability(factory.createSqlType(t), true));
              }
              return out;
            },
            i -> "arg" + i,
            i -> false),
        ScalarFunctionImpl.create(method));
  }

  private static Method method(String name) {
    for (Method m : NqlFunctions.class.getMethods()) {
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
    String algorithm =
        switch (bits) {
          case 0, 256 -> "SHA-256";
          case 224 -> "SHA-224";
          case 384 -> "SHA-384";
          case 512 -> "SHA-512";
          // an error of evaluating a row: it never names the value (it may be a column's)
          default ->
              throw new EvaluationException(
                  ErrorCode.INVALID_PARAMETER_VALUE,
                  "Invalid bit length for SHA2: expected 224, 256, 384 or 512");
        };
    return digest(algorithm, s);
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
