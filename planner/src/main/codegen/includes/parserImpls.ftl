<#-- NQL statement productions, merged into Calcite's Parser.jj by FMPP. -->
<#-- Option values and semantic checks are delegated to io.nql.planner.parser.ParserSupport, -->
<#-- which throws NqlException with a one-line, positioned message. -->

/**
 * A query, optionally followed by an NQL budget clause, as a statement.
 *
 * <p>Calcite's LimitClause (inside OrderedQueryOrExpr) has already consumed
 * "LIMIT <number>" by the time a following "ROWS" or "USD" is visible, and the
 * template offers no hook inside LimitClause. So this production re-interprets
 * that trailing LIMIT value: followed by ROWS it stays the row limit (and an
 * OFFSET may follow); followed by USD it becomes the budget amount and is
 * removed from the row limit. "BUDGET" is a non-reserved word, so directly
 * after a table or select item Calcite reads it as an alias; when it is
 * followed by "<number> USD" the alias is taken back and read as the clause.
 * JavaCC reports choice conflicts on LIMIT, ROWS and USD in Calcite's
 * productions because of this; their greedy default is the intended reading.
 */
SqlNode NqlQuery() :
{
    SqlNode query;
    SqlBudget budget = null;
    final SqlNode[] offsetFetch = {null, null};
    final Span s;
    final Token budgetToken;
    final Token last;
    SqlNode amount;
    BudgetPeriod period;
}
{
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        s = Span.of(query);
        last = token;
    }
    [
        <ROWS> {
            ParserSupport.checkTrailingLimit(query,
                new SqlParserPos(last.beginLine, last.beginColumn), "ROWS", getPos());
        }
        [
            OffsetClause(Span.of(), offsetFetch) {
                query = ParserSupport.withOffset(query, offsetFetch[0], getPos());
            }
        ]
        [ budget = NqlBudgetClause() ]
    |
        <USD> {
            amount = ParserSupport.checkTrailingLimit(query,
                new SqlParserPos(last.beginLine, last.beginColumn), "USD", getPos());
            query = ParserSupport.withoutFetch(query);
        }
        period = NqlBudgetPeriod() {
            budget = SqlBudget.of(Span.of(amount).end(this), amount, period);
        }
    |
        LOOKAHEAD({ token.kind == BUDGET
            && (getToken(1).kind == UNSIGNED_INTEGER_LITERAL
                || getToken(1).kind == DECIMAL_NUMERIC_LITERAL)
            && getToken(2).kind == USD })
        {
            budgetToken = token;
            query = ParserSupport.removeAlias(query,
                new SqlParserPos(budgetToken.beginLine, budgetToken.beginColumn));
        }
        amount = UnsignedNumericLiteral()
        <USD>
        period = NqlBudgetPeriod() {
            budget = SqlBudget.of(
                new SqlParserPos(budgetToken.beginLine, budgetToken.beginColumn,
                    token.endLine, token.endColumn),
                amount, period);
        }
    |
        budget = NqlBudgetClause()
    ]
    {
        if (budget == null) {
            return query;
        }
        return new SqlBudgetQuery(s.end(this), query, budget);
    }
}

/** Parses "LIMIT n USD [PER ...]", "BUDGET n USD [PER ...]" or "NO LIMIT". */
SqlBudget NqlBudgetClause() :
{
    final Span s;
    final SqlNode amount;
    final BudgetPeriod period;
}
{
    (
        <LIMIT> { s = span(); }
    |
        <BUDGET> { s = span(); }
    )
    amount = UnsignedNumericLiteral()
    <USD>
    period = NqlBudgetPeriod() {
        return SqlBudget.of(s.end(this), amount, period);
    }
|
    <NO> { s = span(); } <LIMIT> {
        return SqlBudget.noLimit(s.end(this));
    }
}

/** Parses the optional "PER CALENDAR_DAY" or "PER CALENDAR_MONTH" of a budget. */
BudgetPeriod NqlBudgetPeriod() :
{
}
{
    <PER>
    (
        <CALENDAR_DAY> { return BudgetPeriod.CALENDAR_DAY; }
    |
        <CALENDAR_MONTH> { return BudgetPeriod.CALENDAR_MONTH; }
    )
|
    { return BudgetPeriod.STATEMENT; }
}

/**
 * Parses SHOW DATASETS, SHOW ACCESS RULES, SHOW ATTRIBUTES, SHOW PLAN CACHE, SHOW MATERIALIZED
 * VIEWS, SHOW MAPPINGS ON ds, SHOW SECRETS, SHOW DELIVERIES, SHOW DELIVERY LOG name.
 */
SqlNode NqlShow() :
{
    final Span s;
    final SqlIdentifier dataset;
    final SqlIdentifier delivery;
}
{
    <SHOW> { s = span(); }
    (
        <DATASETS> { return new SqlShowDatasets(s.end(this)); }
    |
        <ACCESS> <RULES> { return new SqlShowAccessRules(s.end(this)); }
    |
        <ATTRIBUTES> { return new SqlShowAttributes(s.end(this)); }
    |
        <PLAN> <CACHE> { return new SqlShowPlanCache(s.end(this)); }
    |
        <MATERIALIZED> <VIEWS> { return new SqlShowMaterializedViews(s.end(this)); }
    |
        <DELIVERIES> { return new SqlShowDeliveries(s.end(this)); }
    |
        <DELIVERY> <LOG> delivery = SimpleIdentifier() {
            return new SqlShowDeliveryLog(s.end(this), delivery);
        }
    |
        <MAPPINGS> <ON> dataset = CompoundIdentifier() {
            return new SqlShowMappings(s.end(this), dataset);
        }
    |
        <SECRETS> { return new SqlShowSecrets(s.end(this)); }
    |
        <DATA> <PLANES> { return new SqlShowDataPlanes(s.end(this)); }
    )
}

/** Parses ANALYZE [DATASET] ds: recompute the dataset's statistics. */
SqlNode NqlAnalyze() :
{
    final Span s;
    final SqlIdentifier dataset;
}
{
    <ANALYZE> { s = span(); } [ LOOKAHEAD(2) <DATASET> ] dataset = CompoundIdentifier() {
        return new SqlAnalyzeDataset(s.end(this), dataset);
    }
}

/** Parses SUGGEST MAPPINGS FOR ds. */
SqlNode NqlSuggestMappings() :
{
    final Span s;
    final SqlIdentifier dataset;
}
{
    <SUGGEST> { s = span(); } <MAPPINGS> <FOR> dataset = CompoundIdentifier() {
        return new SqlSuggestMappings(s.end(this), dataset);
    }
}

/**
 * Parses COPY INTO ds FROM 'uri' with options in any order, each at most once (PATTERN and
 * INCREMENTAL: a directory's files).
 */
SqlNode NqlCopyInto() :
{
    final Span s;
    final SqlIdentifier table;
    final String uri;
    String format = null;
    Boolean header = null;
    String delimiter = null;
    String nullString = null;
    String pattern = null;
    Boolean incremental = null;
    String value;
    SqlParserPos valuePos;
    final Set<String> seen = new HashSet<String>();
    SqlNode fromPostgres;
}
{
    <COPY> { s = span(); } <INTO> table = CompoundIdentifier()
    <FROM>
    [ fromPostgres = NqlCopyFromPostgres(s, table) { return fromPostgres; } ]
    uri = SimpleStringLiteral()
    (
        <FORMAT> { ParserSupport.once(seen, "FORMAT", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            format = ParserSupport.oneOf("FORMAT", value, getPos(), "csv", "parquet", "json");
        }
    |
        <HEADER> { ParserSupport.once(seen, "HEADER", getPos()); } <EQ>
        (
            <TRUE> { header = Boolean.TRUE; }
        |
            <FALSE> { header = Boolean.FALSE; }
        )
    |
        <DELIMITER> { ParserSupport.once(seen, "DELIMITER", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            delimiter = ParserSupport.singleCharacter("DELIMITER", value, getPos());
        }
    |
        <NULL_STRING> { ParserSupport.once(seen, "NULL_STRING", getPos()); } <EQ>
        nullString = SimpleStringLiteral()
    |
        <PATTERN> { ParserSupport.once(seen, "PATTERN", getPos()); } <EQ>
        pattern = SimpleStringLiteral()
    |
        <INCREMENTAL> { ParserSupport.once(seen, "INCREMENTAL", getPos()); } <EQ>
        (
            <TRUE> { incremental = Boolean.TRUE; }
        |
            <FALSE> { incremental = Boolean.FALSE; }
        )
    )*
    {
        return new SqlCopyInto(s.end(this), table, uri, format, header, delimiter,
            nullString, pattern, incremental);
    }
}

/**
 * Parses EXPORT ds TO 'path' or EXPORT (query) TO 'path', with options in any order, each at
 * most once; the "=" of an option may be left out (FORMAT 'parquet').
 */
SqlNode NqlExport() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlNode query = null;
    final String path;
    String format = null;
    Boolean header = null;
    Boolean overwrite = null;
    String value;
    final Set<String> seen = new HashSet<String>();
}
{
    <EXPORT> { s = span(); }
    (
        table = CompoundIdentifier()
    |
        <LPAREN> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) <RPAREN>
    )
    <TO> path = SimpleStringLiteral()
    (
        <FORMAT> { ParserSupport.once(seen, "FORMAT", getPos()); } [ <EQ> ]
        value = SimpleStringLiteral() {
            format = ParserSupport.oneOf("FORMAT", value, getPos(), "csv", "parquet");
        }
    |
        <HEADER> { ParserSupport.once(seen, "HEADER", getPos()); } [ <EQ> ]
        (
            <TRUE> { header = Boolean.TRUE; }
        |
            <FALSE> { header = Boolean.FALSE; }
        )
    |
        <OVERWRITE> { ParserSupport.once(seen, "OVERWRITE", getPos()); } [ <EQ> ]
        (
            <TRUE> { overwrite = Boolean.TRUE; }
        |
            <FALSE> { overwrite = Boolean.FALSE; }
        )
    )*
    {
        return new SqlExport(s.end(this), table, query, path, format, header, overwrite);
    }
}

/**
 * Parses POSTGRES SECRET name TABLE [schema.]table | QUERY 'select ...', after COPY INTO ds FROM.
 */
SqlNode NqlCopyFromPostgres(Span s, SqlIdentifier table) :
{
    final SqlIdentifier secret;
    SqlIdentifier source = null;
    String query = null;
}
{
    <POSTGRES> <SECRET> secret = SimpleIdentifier()
    (
        <TABLE> source = CompoundIdentifier() {
            ParserSupport.postgresTable(source);
        }
    |
        <QUERY> query = SimpleStringLiteral()
    )
    {
        return new SqlCopyFromPostgres(s.end(this), table, secret, source, query);
    }
}

/** Parses REFRESH MATERIALIZED VIEW name. */
SqlNode NqlRefreshMaterializedView() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    <REFRESH> { s = span(); } <MATERIALIZED> <VIEW> name = SimpleIdentifier() {
        return new SqlRefreshMaterializedView(s.end(this), name);
    }
}

/**
 * Parses EXPLAIN followed by a query or CREATE MATERIALIZED VIEW (a forecast).
 * "EXPLAIN PLAN" is left to Calcite's SqlExplain; PLAN is a non-reserved
 * word, hence the semantic lookahead.
 */
SqlNode NqlForecast() :
{
    final Span s;
    final Span c;
    final SqlNode stmt;
    final SqlIdentifier format;
    boolean json = false;
}
{
    <EXPLAIN> { s = span(); }
    [
        LOOKAHEAD(2) <LPAREN> <FORMAT> format = SimpleIdentifier() <RPAREN> {
            json = ParserSupport.oneOf("FORMAT", format.getSimple(), format.getParserPosition(),
                "text", "json").equals("json");
        }
    ]
    (
        LOOKAHEAD({ getToken(1).kind == CREATE })
        <CREATE> { c = span(); } stmt = SqlCreateMaterializedView(c, false)
    |
        LOOKAHEAD({ getToken(1).kind != PLAN })
        stmt = NqlQuery()
    )
    {
        return new SqlForecast(s.end(this), stmt, json);
    }
}

/**
 * Parses DESCRIBE [TABLE] ds [column]. DESCRIBE DATABASE, CATALOG, SCHEMA and
 * STATEMENT, and DESCRIBE of a query, are left to Calcite.
 */
SqlNode NqlDescribeDataset() :
{
    final Span s;
    final SqlIdentifier dataset;
    SqlIdentifier column = null;
}
{
    <DESCRIBE> { s = span(); }
    (
        <TABLE> dataset = CompoundIdentifier()
    |
        LOOKAHEAD({ getToken(1).kind != SCHEMA && getToken(1).kind != DATABASE
            && getToken(1).kind != CATALOG && getToken(1).kind != STATEMENT })
        dataset = CompoundIdentifier()
    )
    [ column = SimpleIdentifier() ]
    {
        return new SqlDescribeDataset(s.end(this), dataset, column);
    }
}

/** Parses the NQL statements that start with CREATE, after CREATE [OR REPLACE]. */
SqlCreate NqlCreate(Span s, boolean replace) :
{
    final SqlCreate create;
}
{
    (
        create = SqlCreateCompany(s, replace)
    |
        create = SqlCreateUser(s, replace)
    |
        create = SqlCreateDataset(s, replace)
    |
        create = SqlCreateAccessRule(s, replace)
    |
        create = SqlCreateMapping(s, replace)
    |
        create = SqlCreateAttribute(s, replace)
    |
        create = SqlCreateMaterializedView(s, replace)
    |
        create = SqlCreateSecret(s, replace)
    |
        create = SqlCreateDataPlane(s, replace)
    |
        create = SqlCreateDelivery(s, replace)
    )
    {
        return create;
    }
}

/**
 * Parses SECRET name TYPE [=] type, then key [=] 'value' pairs, after CREATE [OR REPLACE]. The
 * keys are any names (USER too): which ones a type takes is checked by the engine.
 */
SqlCreate SqlCreateSecret(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final SqlIdentifier type;
    final List<String> keys = new ArrayList<String>();
    final List<String> values = new ArrayList<String>();
    SqlIdentifier key;
    String value;
}
{
    <SECRET> name = SimpleIdentifier()
    <TYPE> [ <EQ> ] type = SimpleIdentifier()
    (
        (
            key = SimpleIdentifier()
        |
            <USER> { key = new SqlIdentifier("user", getPos()); }
        )
        [ <EQ> ] value = SimpleStringLiteral() {
            keys.add(key.getSimple());
            values.add(value);
        }
    )*
    {
        return new SqlCreateSecret(s.end(this), replace, name, type, keys, values);
    }
}

/**
 * Parses DATA PLANE name TYPE [=] type, then SECRET name or key [=] 'value' pairs, after CREATE.
 * The keys are any names (USER too): which ones a type takes is checked by the engine.
 */
SqlCreate SqlCreateDataPlane(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final SqlIdentifier type;
    SqlIdentifier secret = null;
    final List<String> keys = new ArrayList<String>();
    final List<String> values = new ArrayList<String>();
    SqlIdentifier key;
    String value;
}
{
    <DATA> <PLANE> name = SimpleIdentifier()
    <TYPE> [ <EQ> ] type = SimpleIdentifier()
    (
        <SECRET> secret = SimpleIdentifier()
    |
        (
            (
                key = SimpleIdentifier()
            |
                <USER> { key = new SqlIdentifier("user", getPos()); }
            )
            [ <EQ> ] value = SimpleStringLiteral() {
                keys.add(key.getSimple());
                values.add(value);
            }
        )*
    )
    {
        ParserSupport.noReplace(replace, "DATA PLANE", s.pos());
        return new SqlCreateDataPlane(s.end(this), name, type, secret, keys, values);
    }
}

/** Parses COMPANY slug after CREATE. */
SqlCreate SqlCreateCompany(Span s, boolean replace) :
{
    final SqlIdentifier slug;
}
{
    <COMPANY> { ParserSupport.noReplace(replace, "COMPANY", s.pos()); }
    slug = SimpleIdentifier() {
        return new SqlCreateCompany(s.end(this), slug);
    }
}

/** Parses USER "name" COMPANY slug PASSWORD 'pw' [ADMIN] after CREATE. */
SqlCreate SqlCreateUser(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final SqlIdentifier company;
    final String password;
    boolean admin = false;
}
{
    <USER> { ParserSupport.noReplace(replace, "USER", s.pos()); }
    name = SimpleIdentifier()
    <COMPANY> company = SimpleIdentifier()
    <PASSWORD> password = SimpleStringLiteral()
    [ <ADMIN> { admin = true; } ]
    {
        return new SqlCreateUser(s.end(this), name, company, password, admin);
    }
}

/**
 * Parses DATASET "name" (columns), or DATASET "name" IN DATA PLANE plane TABLE 'schema.table',
 * after CREATE, then in any order, each at most once: PARTITIONED_BY ..., SORTED_BY ...,
 * BLOOM_FILTER ... (which the engine refuses for a dataset in a data plane).
 */
SqlCreate SqlCreateDataset(Span s, boolean replace) :
{
    final SqlIdentifier name;
    Span cs = null;
    SqlIdentifier plane = null;
    String table = null;
    final List<SqlNode> columns = new ArrayList<SqlNode>();
    SqlNodeList partitions = SqlNodeList.EMPTY;
    SqlNodeList sortedBy = SqlNodeList.EMPTY;
    SqlNodeList bloomFilters = SqlNodeList.EMPTY;
    final Set<String> seen = new HashSet<String>();
}
{
    <DATASET> { ParserSupport.noReplace(replace, "DATASET", s.pos()); }
    name = SimpleIdentifier()
    (
        <IN> <DATA> <PLANE> plane = SimpleIdentifier() <TABLE> table = SimpleStringLiteral()
    |
        <LPAREN> { cs = span(); }
        NqlColumn(columns)
        ( <COMMA> NqlColumn(columns) )*
        <RPAREN>
    )
    (
        partitions = NqlPartitionedBy() {
            ParserSupport.once(seen, "PARTITIONED_BY", partitions.getParserPosition());
        }
    |
        sortedBy = NqlSortedBy() {
            ParserSupport.once(seen, "SORTED_BY", sortedBy.getParserPosition());
        }
    |
        bloomFilters = NqlBloomFilter() {
            ParserSupport.once(seen, "BLOOM_FILTER", bloomFilters.getParserPosition());
        }
    )*
    {
        if (plane != null) {
            return new SqlCreatePlaneDataset(s.end(this), name, plane, table,
                partitions, sortedBy, bloomFilters);
        }
        return new SqlCreateDataset(s.end(this), name,
            new SqlNodeList(columns, cs.end(this)), partitions, sortedBy, bloomFilters);
    }
}

/** Parses SORTED_BY col [ASC|DESC], ... */
SqlNodeList NqlSortedBy() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <SORTED_BY> { s = span(); }
    NqlSortField(list)
    ( <COMMA> NqlSortField(list) )*
    {
        return new SqlNodeList(list, s.end(this));
    }
}

/** Parses one sort field: column [ASC|DESC]. */
void NqlSortField(List<SqlNode> list) :
{
    final SqlIdentifier column;
    boolean descending = false;
}
{
    column = SimpleIdentifier()
    [
        <ASC>
    |
        <DESC> { descending = true; }
    ]
    {
        list.add(new SqlSortField(Span.of(column).end(this), column, descending));
    }
}

/** Parses BLOOM_FILTER col, ... */
SqlNodeList NqlBloomFilter() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    SqlIdentifier column;
}
{
    <BLOOM_FILTER> { s = span(); }
    column = SimpleIdentifier() { list.add(column); }
    ( <COMMA> column = SimpleIdentifier() { list.add(column); } )*
    {
        return new SqlNodeList(list, s.end(this));
    }
}

/** Parses one column of CREATE DATASET: name type [NOT NULL | NULL]. */
void NqlColumn(List<SqlNode> list) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    final boolean nullable;
}
{
    name = SimpleIdentifier()
    type = DataType()
    nullable = NullableOptDefaultTrue() {
        list.add(new SqlDatasetColumn(Span.of(name).end(this), name,
            type.withNullable(nullable)));
    }
}

/** Parses PARTITIONED_BY col [transform], ... */
SqlNodeList NqlPartitionedBy() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <PARTITIONED_BY> { s = span(); }
    NqlPartitionField(list)
    ( <COMMA> NqlPartitionField(list) )*
    {
        return new SqlNodeList(list, s.end(this));
    }
}

/** Parses one partition field: column [IDENTITY|YEAR|MONTH|DAY|HOUR|BUCKET(n)|TRUNCATE(n)]. */
void NqlPartitionField(List<SqlNode> list) :
{
    final SqlIdentifier column;
    PartitionTransform transform = PartitionTransform.IDENTITY;
    Integer width = null;
    int n;
}
{
    column = SimpleIdentifier()
    [
        <IDENTITY> { transform = PartitionTransform.IDENTITY; }
    |
        <YEAR> { transform = PartitionTransform.YEAR; }
    |
        <MONTH> { transform = PartitionTransform.MONTH; }
    |
        <DAY> { transform = PartitionTransform.DAY; }
    |
        <HOUR> { transform = PartitionTransform.HOUR; }
    |
        <BUCKET> <LPAREN> n = UnsignedIntLiteral() <RPAREN> {
            transform = PartitionTransform.BUCKET;
            width = ParserSupport.positive("BUCKET", n, getPos());
        }
    |
        <TRUNCATE> <LPAREN> n = UnsignedIntLiteral() <RPAREN> {
            transform = PartitionTransform.TRUNCATE;
            width = ParserSupport.positive("TRUNCATE", n, getPos());
        }
    ]
    {
        list.add(new SqlPartitionField(Span.of(column).end(this), column, transform, width));
    }
}

/** Parses ACCESS RULE "name" PRICE_CPM_USD = n SHARE WITH ... [options] AS query after CREATE. */
SqlCreate SqlCreateAccessRule(Span s, boolean replace) :
{
    final SqlIdentifier name;
    SqlNumericLiteral price = null;
    ShareMode shareMode = null;
    SqlNodeList companies = SqlNodeList.EMPTY;
    String displayName = null;
    String description = null;
    final SqlNode query;
    final Set<String> seen = new HashSet<String>();
}
{
    // OR REPLACE publishes a new version of the rule.
    <ACCESS>
    <RULE> name = SimpleIdentifier()
    (
        <PRICE_CPM_USD> { ParserSupport.once(seen, "PRICE_CPM_USD", getPos()); } <EQ>
        price = UnsignedNumericLiteral() {
            ParserSupport.checkPrice(price);
        }
    |
        <SHARE> { ParserSupport.once(seen, "SHARE", getPos()); } <WITH>
        (
            <COMPANIES> companies = ParenthesizedSimpleIdentifierList() {
                shareMode = ShareMode.COMPANIES;
            }
        |
            <ALL>
            (
                <EXCEPT> companies = ParenthesizedSimpleIdentifierList() {
                    shareMode = ShareMode.ALL_EXCEPT;
                }
            |
                { shareMode = ShareMode.ALL; }
            )
        |
            <NONE> { shareMode = ShareMode.NONE; }
        )
    |
        <DISPLAY_NAME> { ParserSupport.once(seen, "DISPLAY_NAME", getPos()); } <EQ>
        displayName = SimpleStringLiteral()
    |
        <DESCRIPTION> { ParserSupport.once(seen, "DESCRIPTION", getPos()); } <EQ>
        description = SimpleStringLiteral()
    )*
    <AS> {
        ParserSupport.required(seen, "PRICE_CPM_USD", "CREATE ACCESS RULE", getPos());
        ParserSupport.required(seen, "SHARE", "CREATE ACCESS RULE", getPos());
    }
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        return new SqlCreateAccessRule(s.end(this), replace, name, price, shareMode, companies,
            displayName, description, query);
    }
}

/** Parses MAPPING ON ds ATTRIBUTE attr[.prop] AS expr, ... after CREATE. */
SqlCreate SqlCreateMapping(Span s, boolean replace) :
{
    final SqlIdentifier dataset;
    final Span ms;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <MAPPING> { ParserSupport.noReplace(replace, "MAPPING", s.pos()); }
    <ON> dataset = CompoundIdentifier() { ms = span(); }
    NqlAttributeMapping(list)
    ( <COMMA> NqlAttributeMapping(list) )*
    {
        return new SqlCreateMapping(s.end(this), dataset, new SqlNodeList(list, ms.end(this)));
    }
}

/** Parses one "ATTRIBUTE attr[.prop] AS expr" of CREATE MAPPING. */
void NqlAttributeMapping(List<SqlNode> list) :
{
    final Span s;
    final SqlIdentifier[] attribute = {null, null};
    final SqlNode expression;
}
{
    <ATTRIBUTE> { s = span(); }
    NqlAttributeName(attribute)
    <AS> expression = Expression(ExprContext.ACCEPT_NON_QUERY) {
        list.add(new SqlAttributeMapping(s.end(this), attribute[0], attribute[1], expression));
    }
}

/** Parses attr[.prop] into {attribute, property}, as in "unique_id.value". */
void NqlAttributeName(SqlIdentifier[] attribute) :
{
}
{
    attribute[0] = SimpleIdentifier()
    [
        <DOT> attribute[1] = SimpleIdentifier()
    ]
}

/** Parses MATERIALIZED VIEW "name" [options] AS query [budget] after CREATE. */
SqlCreate SqlCreateMaterializedView(Span s, boolean replace) :
{
    final SqlIdentifier name;
    String refreshSchedule = null;
    String displayName = null;
    String description = null;
    String expire = null;
    SqlNodeList tags = null;
    String writeMode = null;
    SqlNodeList partitions = SqlNodeList.EMPTY;
    final SqlNode query;
    String value;
    final Set<String> seen = new HashSet<String>();
}
{
    <MATERIALIZED> { ParserSupport.noReplace(replace, "MATERIALIZED VIEW", s.pos()); }
    <VIEW> name = SimpleIdentifier()
    (
        <REFRESH_SCHEDULE> { ParserSupport.once(seen, "REFRESH_SCHEDULE", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            refreshSchedule = ParserSupport.refreshSchedule(value, getPos());
        }
    |
        <DISPLAY_NAME> { ParserSupport.once(seen, "DISPLAY_NAME", getPos()); } <EQ>
        displayName = SimpleStringLiteral()
    |
        <DESCRIPTION> { ParserSupport.once(seen, "DESCRIPTION", getPos()); } <EQ>
        description = SimpleStringLiteral()
    |
        <EXPIRE> { ParserSupport.once(seen, "EXPIRE", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            expire = ParserSupport.expire(value, getPos());
        }
    |
        <TAGS> { ParserSupport.once(seen, "TAGS", getPos()); } <EQ>
        tags = NqlStringList()
    |
        <WRITE_MODE> { ParserSupport.once(seen, "WRITE_MODE", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            writeMode = ParserSupport.oneOf("WRITE_MODE", value, getPos(), "append", "overwrite");
        }
    |
        partitions = NqlPartitionedBy() {
            ParserSupport.once(seen, "PARTITIONED_BY", partitions.getParserPosition());
        }
    )*
    <AS> query = NqlQuery() {
        return new SqlCreateMaterializedView(s.end(this), name, refreshSchedule, displayName,
            description, expire, tags, writeMode, partitions, query);
    }
}

/**
 * Parses DELIVERY "name" FOR MATERIALIZED VIEW "view" TO WEBHOOK 'url' [FORMAT = 'ndjson' | 'csv']
 * [BATCH_ROWS = n] after CREATE, options in any order, each at most once.
 */
SqlCreate SqlCreateDelivery(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final SqlIdentifier view;
    final String url;
    String format = null;
    Integer batchRows = null;
    String value;
    int n;
    final Set<String> seen = new HashSet<String>();
}
{
    <DELIVERY> { ParserSupport.noReplace(replace, "DELIVERY", s.pos()); }
    name = SimpleIdentifier()
    <FOR> <MATERIALIZED> <VIEW> view = SimpleIdentifier()
    <TO> <WEBHOOK> url = SimpleStringLiteral()
    (
        <FORMAT> { ParserSupport.once(seen, "FORMAT", getPos()); } <EQ>
        value = SimpleStringLiteral() {
            format = ParserSupport.oneOf("FORMAT", value, getPos(), "ndjson", "csv");
        }
    |
        <BATCH_ROWS> { ParserSupport.once(seen, "BATCH_ROWS", getPos()); } <EQ>
        n = UnsignedIntLiteral() {
            batchRows = ParserSupport.positive("BATCH_ROWS", n, getPos());
        }
    )*
    {
        return new SqlCreateDelivery(s.end(this), name, view, url, format, batchRows);
    }
}

/** Parses RESUME DELIVERY name. */
SqlNode NqlResumeDelivery() :
{
    final Span s;
    final SqlIdentifier name;
}
{
    <RESUME> { s = span(); } <DELIVERY> name = SimpleIdentifier() {
        return new SqlResumeDelivery(s.end(this), name);
    }
}

/** Parses ('a', 'b', ...) into a list of character literals. */
SqlNodeList NqlStringList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
    String value;
}
{
    <LPAREN> { s = span(); }
    value = SimpleStringLiteral() { list.add(SqlLiteral.createCharString(value, getPos())); }
    (
        <COMMA>
        value = SimpleStringLiteral() { list.add(SqlLiteral.createCharString(value, getPos())); }
    )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

/** Parses USER "name" after DROP. */
SqlDrop SqlDropUser(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <USER> name = SimpleIdentifier() {
        return new SqlDropUser(s.end(this), name);
    }
}

/** Parses DATASET "name" after DROP. */
SqlDrop SqlDropDataset(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <DATASET> name = SimpleIdentifier() {
        return new SqlDropDataset(s.end(this), name);
    }
}

/** Parses ACCESS RULE "name" after DROP. */
SqlDrop SqlDropAccessRule(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <ACCESS> <RULE> name = SimpleIdentifier() {
        return new SqlDropAccessRule(s.end(this), name);
    }
}

/** Parses ATTRIBUTE name after DROP. */
SqlDrop SqlDropAttribute(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <ATTRIBUTE> name = SimpleIdentifier() {
        return new SqlDropAttribute(s.end(this), name);
    }
}

/** Parses MAPPING ON ds ATTRIBUTE attr[.prop] after DROP. */
SqlDrop SqlDropMapping(Span s, boolean replace) :
{
    final SqlIdentifier dataset;
    final SqlIdentifier[] attribute = {null, null};
}
{
    <MAPPING> <ON> dataset = CompoundIdentifier()
    <ATTRIBUTE> NqlAttributeName(attribute) {
        return new SqlDropMapping(s.end(this), dataset, attribute[0], attribute[1]);
    }
}

/** Parses SECRET "name" after DROP. */
SqlDrop SqlDropSecret(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <SECRET> name = SimpleIdentifier() {
        return new SqlDropSecret(s.end(this), name);
    }
}

/** Parses DATA PLANE "name" after DROP. */
SqlDrop SqlDropDataPlane(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <DATA> <PLANE> name = SimpleIdentifier() {
        return new SqlDropDataPlane(s.end(this), name);
    }
}

/** Parses MATERIALIZED VIEW "name" after DROP. */
SqlDrop SqlDropMaterializedView(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <MATERIALIZED> <VIEW> name = SimpleIdentifier() {
        return new SqlDropMaterializedView(s.end(this), name);
    }
}

/** Parses DELIVERY "name" after DROP. */
SqlDrop SqlDropDelivery(Span s, boolean replace) :
{
    final SqlIdentifier name;
}
{
    <DELIVERY> name = SimpleIdentifier() {
        return new SqlDropDelivery(s.end(this), name);
    }
}

/**
 * True when the next token starts a built-in type whose name NQL does not reserve: there
 * CONVERT(type, value) is SQL Server's form, as it was when the name was reserved (guards.ftl).
 */
JAVACODE boolean nqlTypeNameAhead() {
    switch (getToken(1).kind) {
    case BIGINT:
    case BINARY:
    case BOOLEAN:
    case CHAR:
    case CHARACTER:
    case DATE:
    case DEC:
    case DOUBLE:
    case FLOAT:
    case INT:
    case INTEGER:
    case NUMERIC:
    case REAL:
    case SMALLINT:
    case TIME:
    case TIMESTAMP:
    case TINYINT:
    case UUID:
    case VARBINARY:
    case VARCHAR:
    case VARIANT:
        return true;
    default:
        return false;
    }
}

/**
 * Parses ATTRIBUTE name TYPE = 'type' [ITEMS = 'type'] [PROPERTIES (p 'type' [REQUIRED], ...)]
 * [ENUM = ('a', ...)] [PATTERN = 'regex'] [MINIMUM = n] [MAXIMUM = n] [DESCRIPTION = '...']
 * after CREATE.
 */
SqlCreate SqlCreateAttribute(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final String type;
    String items = null;
    SqlNodeList enumValues = null;
    String pattern = null;
    SqlLiteral minimum = null;
    SqlLiteral maximum = null;
    String description = null;
    final List<SqlNode> properties = new ArrayList<SqlNode>();
    final Set<String> seen = new HashSet<String>();
}
{
    <ATTRIBUTE> { ParserSupport.noReplace(replace, "ATTRIBUTE", s.pos()); }
    name = SimpleIdentifier()
    <TYPE> <EQ> type = SimpleStringLiteral()
    (
        <ITEMS> { ParserSupport.once(seen, "ITEMS", getPos()); } <EQ>
        items = SimpleStringLiteral()
    |
        <PROPERTIES> { ParserSupport.once(seen, "PROPERTIES", getPos()); }
        <LPAREN> NqlAttributeProperty(properties)
        ( <COMMA> NqlAttributeProperty(properties) )*
        <RPAREN>
    |
        <ENUM> { ParserSupport.once(seen, "ENUM", getPos()); } <EQ>
        enumValues = NqlStringList()
    |
        <PATTERN> { ParserSupport.once(seen, "PATTERN", getPos()); } <EQ>
        pattern = SimpleStringLiteral()
    |
        <MINIMUM> { ParserSupport.once(seen, "MINIMUM", getPos()); } <EQ>
        minimum = NumericLiteral()
    |
        <MAXIMUM> { ParserSupport.once(seen, "MAXIMUM", getPos()); } <EQ>
        maximum = NumericLiteral()
    |
        <DESCRIPTION> { ParserSupport.once(seen, "DESCRIPTION", getPos()); } <EQ>
        description = SimpleStringLiteral()
    )*
    {
        return new SqlCreateAttribute(s.end(this), name, type, items,
            new SqlNodeList(properties, s.end(this)), enumValues, pattern, minimum, maximum,
            description);
    }
}

/** Parses one "name 'type' [REQUIRED]" of an object attribute's PROPERTIES. */
void NqlAttributeProperty(List<SqlNode> list) :
{
    final SqlIdentifier name;
    final String type;
    boolean required = false;
    final Span s;
}
{
    name = SimpleIdentifier() { s = span(); }
    type = SimpleStringLiteral()
    [ <REQUIRED> { required = true; } ]
    {
        list.add(new SqlNodeList(
            List.of(name, SqlLiteral.createCharString(type, s.pos()),
                SqlLiteral.createBoolean(required, s.pos())),
            s.end(this)));
    }
}

/** Parses VACUUM company_data.ds [RETAIN n DAYS] (table maintenance). */
SqlNode NqlVacuum() :
{
    final Span s;
    final SqlIdentifier name;
    Integer days = null;
}
{
    <VACUUM> { s = span(); } name = CompoundIdentifier()
    [ <RETAIN> days = UnsignedIntLiteral() ( <DAYS> | <DAY> ) ]
    {
        return new SqlVacuum(s.end(this), name, days);
    }
}

/** Parses ALTER DATASET ds SET RETENTION { n DAYS ON column | NONE } (table maintenance). */
SqlNode NqlAlterDataset() :
{
    final Span s;
    final SqlIdentifier name;
    Integer days = null;
    SqlIdentifier column = null;
}
{
    <ALTER> { s = span(); } <DATASET> name = CompoundIdentifier() <SET> <RETENTION>
    (
        <NONE>
    |
        days = UnsignedIntLiteral() ( <DAYS> | <DAY> ) <ON> column = SimpleIdentifier()
    )
    {
        return new SqlAlterDatasetRetention(s.end(this), name, days, column);
    }
}

/**
 * Parses the table-maintenance statements: OPTIMIZE ds [name = value [, ...]],
 * SHOW RECOMMENDATIONS [FOR ds], APPLY RECOMMENDATION n, APPLY RECOMMENDATIONS FOR ds.
 * SHOW RECOMMENDATIONS is here rather than in NqlShow so that this edit stays in one place.
 */
SqlNode NqlMaintenance() :
{
    final Span s;
    SqlIdentifier dataset = null;
    final List<SqlNode> settings = new ArrayList<SqlNode>();
    SqlIdentifier name;
    SqlNode value;
    int n;
}
{
    <OPTIMIZE> { s = span(); } dataset = CompoundIdentifier()
    [
        [ <WITH> ]
        name = SimpleIdentifier() <EQ> value = Literal() {
            settings.add(name);
            settings.add(value);
        }
        (
            [ <COMMA> ] name = SimpleIdentifier() <EQ> value = Literal() {
                settings.add(name);
                settings.add(value);
            }
        )*
    ]
    {
        return new SqlOptimize(s.end(this), dataset, new SqlNodeList(settings, s.end(this)));
    }
|
    <SHOW> { s = span(); } <RECOMMENDATIONS> [ <FOR> dataset = CompoundIdentifier() ] {
        return new SqlShowRecommendations(s.end(this), dataset);
    }
|
    <APPLY> { s = span(); }
    (
        <RECOMMENDATION> n = UnsignedIntLiteral() {
            return new SqlApplyRecommendation(s.end(this), n, null);
        }
    |
        <RECOMMENDATIONS> <FOR> dataset = CompoundIdentifier() {
            return new SqlApplyRecommendation(s.end(this), 0, dataset);
        }
    )
}
