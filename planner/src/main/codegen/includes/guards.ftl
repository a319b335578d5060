<#--
  Two lookaheads that Calcite's Parser.jj needs once VALUE and the SQL type names are
  non-reserved, and where the template has no hook. The border in config.fmpp renders Parser.jj
  into calciteParser; this prints it with the guards added. Each pattern must match exactly once,
  so a Calcite upgrade that moves the text fails the build here instead of parsing differently.
-->
<#function guard text name pattern replacement>
  <#local found = text?matches(pattern)>
  <#if found?size != 1>
    <#stop "Cannot guard " + name + " in Calcite's Parser.jj: the pattern matches "
        + found?size + " times, not once">
  </#if>
  <#return text?replace(pattern, replacement, "r")>
</#function>
<#--
  LeafQueryOrExpr chooses a table constructor on VALUE (Calcite's synonym of VALUES, which
  NQL's conformance refuses), so "SUM(value)" and "(value + 1)" would fail: with the guard, VALUE
  starts an expression unless the conformance allows the synonym.
-->
<#assign nqlParser = guard(calciteParser, "LeafQueryOrExpr",
    r"(\{\s+)(e = LeafQuery\(exprContext\) \{ return e; \})",
    r"$1LOOKAHEAD(1, { getToken(1).kind != VALUE || this.conformance.isValueAllowed() })
    $2")>
<#--
  CONVERT(x, charset) is tried before SQL Server's CONVERT(type, value) with a lookahead of two
  tokens, which "DATE ," now passes: with the guard, a type name first keeps the SQL Server form.
-->
<#assign nqlParser = guard(nqlParser, "CONVERT",
    r"LOOKAHEAD\(2\)(\s+AddExpression\(args, ExprContext\.ACCEPT_SUB_QUERY\)\s+\(\s+<USING>)",
    r"LOOKAHEAD(2, { !nqlTypeNameAhead() })$1")>
${nqlParser}
